package io.aimp.gateway.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings.
 *
 * @param allowedHosts             host names endpoints may point at (the egress allowlist; none: no endpoint can be registered)
 * @param timeout                  one attempt, from resolving the name to the end of the answer
 * @param maxAttempts              attempts per delivery before it is given up as failed
 * @param backoff                  the wait after the first failed attempt, doubled after each further one
 * @param maxBackoff               the longest wait between two attempts
 * @param workers                  deliveries sent at once by this node
 * @param maxEndpointsPerWorkspace endpoints one workspace may register
 */
@ConfigurationProperties("aimp.webhooks")
record WebhookProperties(@DefaultValue List<String> allowedHosts,
                         @DefaultValue("10s") Duration timeout,
                         @DefaultValue("8") int maxAttempts,
                         @DefaultValue("30s") Duration backoff,
                         @DefaultValue("1h") Duration maxBackoff,
                         @DefaultValue("4") int workers,
                         @DefaultValue("20") int maxEndpointsPerWorkspace) {

    static final String ALLOWLIST = "aimp.webhooks.allowed-hosts";

    WebhookProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        if (timeout.toMillis() < 100 || timeout.toSeconds() > 60) {
            throw new IllegalArgumentException("aimp.webhooks.timeout must be between 100ms and 60s");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("aimp.webhooks.max-attempts must be between 1 and 20");
        }
        if (backoff.toMillis() < 10 || backoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("aimp.webhooks.backoff must be at least 10ms and at most aimp.webhooks.max-backoff");
        }
        if (maxBackoff.toHours() > 24) {
            throw new IllegalArgumentException("aimp.webhooks.max-backoff must be at most 24h");
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("aimp.webhooks.workers must be between 1 and 64");
        }
        if (maxEndpointsPerWorkspace < 1 || maxEndpointsPerWorkspace > 1000) {
            throw new IllegalArgumentException("aimp.webhooks.max-endpoints-per-workspace must be between 1 and 1000");
        }
    }

    /** The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed. */
    long backoffMillis(int attempt) {
        long wait = backoff.toMillis();
        for (int i = 1; i < attempt && wait < maxBackoff.toMillis(); i++) {
            wait *= 2;
        }
        return Math.min(wait, maxBackoff.toMillis());
    }

    /** How long a claimed delivery belongs to its node: an attempt's timeout and a margin. */
    long leaseMillis() {
        return timeout.toMillis() + 60_000;
    }
}
