package io.aimp.gateway.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis that holds cluster-wide limits ({@code AIMP_REDIS_URL}, e.g. {@code redis://redis:6379/0}
 * or {@code rediss://:password@redis:6380}); unset keeps limits in memory on each node.
 *
 * @param commandTimeout how long one limit check may wait for Redis before it counts as unreachable
 * @param connectTimeout how long one connection attempt may take
 * @param slotTtl        a scope's concurrency counter expires after this long without any run starting or
 *                       ending in it, so the slots of a node that died holding them come back
 */
@ConfigurationProperties("aimp.redis")
public record LimitsRedisProperties(String url, @DefaultValue("250ms") Duration commandTimeout,
                                    @DefaultValue("1s") Duration connectTimeout, @DefaultValue("1h") Duration slotTtl) {

    public LimitsRedisProperties {
        url = url == null || url.isBlank() ? null : url.strip();
        if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException("aimp.redis.url must start with redis:// or rediss://");
        }
        within(commandTimeout, Duration.ofMillis(10), Duration.ofSeconds(10), "aimp.redis.command-timeout");
        within(connectTimeout, Duration.ofMillis(10), Duration.ofSeconds(30), "aimp.redis.connect-timeout");
        within(slotTtl, Duration.ofMinutes(1), Duration.ofDays(7), "aimp.redis.slot-ttl");
    }

    private static void within(Duration d, Duration min, Duration max, String name) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
    }

    public boolean enabled() {
        return url != null;
    }
}
