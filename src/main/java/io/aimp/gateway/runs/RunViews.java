package io.aimp.gateway.runs;

import io.aimp.gateway.common.Money;
import io.aimp.gateway.common.Times;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run object of the wire format. */
final class RunViews {

    private RunViews() {
    }

    static Map<String, Object> view(RunRecord r, String deprecation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("object", "run");
        m.put("model", r.modelSlug());
        m.put("model_id", r.modelId());
        m.put("release", r.releaseVersion());
        m.put("mode", r.mode());
        m.put("scope", r.scope());
        m.put("status", r.status().wireName());
        m.put("output", r.output());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input_tokens", r.inputTokens());
        usage.put("output_tokens", r.outputTokens());
        usage.put("units", r.units());
        usage.put("estimated", r.usageEstimated());
        m.put("usage", usage);
        m.put("cost", Map.of("credits", Money.format(r.costMicros())));
        m.put("provider", r.provider());
        // the same names as the run's usage rows: how it entered (rest, mcp, job, workflow, ...) and its parent run
        m.put("entry_point", r.entryPoint());
        m.put("parent_run_id", r.parentRunId());
        m.put("created_at", Times.instant(r.createdAt()));
        m.put("completed_at", Times.instant(r.completedAt()));
        m.put("duration_ms", r.durationMs());
        m.put("error", r.error());
        if (deprecation != null) {
            m.put("deprecation", deprecation);
        }
        return m;
    }
}
