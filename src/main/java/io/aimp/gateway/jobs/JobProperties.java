package io.aimp.gateway.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bulk job settings.
 *
 * @param maxItems                 the most items one job may carry; a larger job is refused, never truncated
 * @param maxInFlightPerWorkspace  the most jobs of one workspace that may be running at once
 * @param workers                  items executed at once by this node
 * @param lease                    how long a claimed item belongs to its node before another node may claim it
 */
@ConfigurationProperties("aimp.jobs")
record JobProperties(@DefaultValue("500") int maxItems,
                     @DefaultValue("5") int maxInFlightPerWorkspace,
                     @DefaultValue("4") int workers,
                     @DefaultValue("15m") Duration lease) {

    JobProperties {
        if (maxItems < 1 || maxItems > 100_000) {
            throw new IllegalArgumentException("aimp.jobs.max-items must be between 1 and 100000");
        }
        if (maxInFlightPerWorkspace < 1) {
            throw new IllegalArgumentException("aimp.jobs.max-in-flight-per-workspace must be at least 1");
        }
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("aimp.jobs.workers must be between 1 and 256");
        }
        if (lease.toSeconds() < 10) {
            throw new IllegalArgumentException("aimp.jobs.lease must be at least 10s");
        }
    }
}
