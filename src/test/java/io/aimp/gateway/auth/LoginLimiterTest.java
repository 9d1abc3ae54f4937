package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.support.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sign-in attempts per account and per address, on a clock the test moves: no timing in the assertions. */
class LoginLimiterTest {

    private final TestClock clock = new TestClock();
    private final LoginLimiter limiter = new LoginLimiter(new AuthProperties("http://localhost:8080", null, "owner@localhost",
            null, null, new AuthProperties.Sessions(Duration.ofMinutes(15), Duration.ofDays(30), 10, 30),
            new AuthProperties.Invitations(Duration.ofDays(7))), clock);

    @Test
    void should_admit_ten_attempts_per_account_then_refuse_with_the_wait_for_the_next_one() {
        for (int i = 0; i < 10; i++) {
            limiter.check("dana@example.com", "ip-" + i);
        }

        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> limiter.check("dana@example.com", "ip-10"));

        assertThat(refused.category()).isEqualTo(ErrorCategory.LIMIT);
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 7L);
        // another account is not affected
        limiter.check("erin@example.com", "ip-11");
    }

    @Test
    void should_give_back_one_attempt_every_six_seconds_at_ten_per_minute() {
        for (int i = 0; i < 10; i++) {
            limiter.check("dana@example.com", "ip-" + i);
        }
        clock.advance(Duration.ofSeconds(5));
        assertThat(catchThrowableOfType(GatewayException.class, () -> limiter.check("dana@example.com", "ip-a"))).isNotNull();

        clock.advance(Duration.ofSeconds(1));
        limiter.check("dana@example.com", "ip-b");
        assertThat(catchThrowableOfType(GatewayException.class, () -> limiter.check("dana@example.com", "ip-c"))).isNotNull();
    }

    @Test
    void should_limit_one_address_across_accounts() {
        for (int i = 0; i < 30; i++) {
            limiter.check("user" + i + "@example.com", "203.0.113.7");
        }

        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> limiter.check("someone-else@example.com", "203.0.113.7"));

        assertThat(refused.code()).isEqualTo("rate_limited");
        limiter.check("someone-else@example.com", "203.0.113.8");
    }
}
