package io.aimp.gateway.assistants;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Assistants' built-in tools ({@code aimp.assistants.*}).
 *
 * @param httpAllowedHosts  host names {@code http_get} may fetch (normalized by the egress client: case, trailing
 *                          dot, IDNA); IP addresses are never fetched; empty: none
 * @param httpTimeout       cap on one {@code http_get} (connect plus body)
 * @param httpMaxBytes      bytes of a response body kept; the rest is cut
 * @param codeTimeout       time limit of one {@code run_code} from the script's start (a tool's {@code timeout_ms}
 *                          and the run's remaining time may lower it)
 * @param codeMaxAllocation bytes one {@code run_code} may allocate in total
 * @param codeThreads       scripts that may run at once (1 to 64), shared between workspaces (see {@link FairQueue}:
 *                          the last free one is kept for a workspace with no script running)
 * @param fileMaxChars      characters of file text given to the assistant, over all its files
 */
@ConfigurationProperties("aimp.assistants")
public record AssistantsProperties(
        @DefaultValue("") List<String> httpAllowedHosts,
        @DefaultValue("10s") Duration httpTimeout,
        @DefaultValue("256KB") DataSize httpMaxBytes,
        @DefaultValue("2s") Duration codeTimeout,
        @DefaultValue("64MB") DataSize codeMaxAllocation,
        @DefaultValue("3") int codeThreads,
        @DefaultValue("40000") int fileMaxChars) {

    public AssistantsProperties {
        if (codeThreads < 1 || codeThreads > 64) {
            throw new IllegalArgumentException("aimp.assistants.code-threads (AIMP_ASSISTANTS_CODE_THREADS) must be between 1 and 64");
        }
    }
}
