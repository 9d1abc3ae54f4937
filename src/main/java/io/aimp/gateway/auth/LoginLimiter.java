package io.aimp.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Login attempts per account and per client address, each a token bucket refilled per minute (greedily:
 * a 10-per-minute bucket gains one attempt every 6 s), on the gateway's clock.
 */
@Component
class LoginLimiter {

    private final int perAccount;
    private final int perIp;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    private final TimeMeter time;

    LoginLimiter(AuthProperties props, Clock clock) {
        this.perAccount = props.sessions().loginAttemptsPerMinutePerAccount();
        this.perIp = props.sessions().loginAttemptsPerMinutePerIp();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    void check(String email, String ip) {
        consume("ip:" + ip, perIp);
        consume("account:" + email, perAccount);
    }

    private void consume(String key, int perMinute) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder().withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
            throw GatewayException.of(ErrorCategory.LIMIT, "rate_limited",
                            "too many sign-in attempts; try again in " + wait + " s")
                    .retryAfter(wait).build();
        }
    }
}
