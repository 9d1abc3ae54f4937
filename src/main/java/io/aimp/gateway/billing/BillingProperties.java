package io.aimp.gateway.billing;

import io.aimp.gateway.common.Money;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Wallet settings.
 *
 * @param defaultMaxOutputTokens  the output tokens a run is assumed to produce when neither params nor the
 *                                release cap them (worst-case reservation)
 * @param holdLeaseMargin         how long past a run's timeout its reservation lives before a sweep releases it
 * @param maxTopUp                the largest single top-up, in credits
 */
@ConfigurationProperties("aimp.billing")
public record BillingProperties(
        @DefaultValue("4096") long defaultMaxOutputTokens,
        @DefaultValue("1000000000") String maxTopUp,
        @DefaultValue("5m") Duration holdLeaseMargin) {

    public BillingProperties {
        try {
            if (Money.parseCredits(maxTopUp) <= 0) {
                throw new IllegalArgumentException("negative");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("aimp.billing.max-top-up must be positive decimal credits with at most 6 decimals, e.g. 100");
        }
        if (defaultMaxOutputTokens < 1 || defaultMaxOutputTokens > 10_000_000) {
            throw new IllegalArgumentException("aimp.billing.default-max-output-tokens must be between 1 and 10000000");
        }
    }

    long maxTopUpMicros() {
        return Money.parseCredits(maxTopUp);
    }
}
