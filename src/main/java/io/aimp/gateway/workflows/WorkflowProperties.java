package io.aimp.gateway.workflows;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Workflow settings.
 *
 * @param maxBlocks     the most blocks one workflow definition may declare (checked when the catalog loads)
 * @param maxNestedRuns the most {@code model} block runs one workflow run may start
 * @param maxWall       the longest a workflow run may take, whatever its routes' timeouts add up to
 * @param http          the {@code http} block: hosts it may call, its timeout and response cap
 */
@ConfigurationProperties("aimp.workflows")
record WorkflowProperties(@DefaultValue("50") int maxBlocks,
                          @DefaultValue("10") int maxNestedRuns,
                          @DefaultValue("5m") Duration maxWall,
                          @DefaultValue Http http) {

    /**
     * @param allowedHosts host names the {@code http} block may call, compared in the egress client's normalized
     *                     spelling (lower case, no trailing dot, IDNA); IP addresses are never called; empty: none
     */
    record Http(@DefaultValue("") List<String> allowedHosts,
                @DefaultValue("10s") Duration timeout,
                @DefaultValue("1048576") int maxResponseBytes) {

        Http {
            allowedHosts = allowedHosts.stream().filter(h -> !h.isBlank()).map(h -> h.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        }
    }

    WorkflowProperties {
        if (maxBlocks < 2 || maxBlocks > 1000) {
            throw new IllegalArgumentException("aimp.workflows.max-blocks must be between 2 and 1000");
        }
        if (maxNestedRuns < 0 || maxNestedRuns > 1000) {
            throw new IllegalArgumentException("aimp.workflows.max-nested-runs must be between 0 and 1000");
        }
        if (maxWall.isNegative() || maxWall.isZero()) {
            throw new IllegalArgumentException("aimp.workflows.max-wall must be positive");
        }
    }
}
