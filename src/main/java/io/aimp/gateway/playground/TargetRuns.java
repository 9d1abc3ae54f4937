package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.runs.RunService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs of the playground through the run pipeline: a target and an input become a run request, admitted
 * side-effect free with {@code entry_point: playground}; what a run answered becomes one result of a report.
 */
final class TargetRuns {

    static final String ENTRY_POINT = "playground";

    private TargetRuns() {
    }

    /** The run request of {@code target} over {@code input}, as {@code POST /api/runs} would take it. */
    static ObjectNode body(Target target, ObjectNode input, ObjectNode params, String scope, Long timeoutMs) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        body.put("model", target.model());
        if (target.mode() != null) {
            body.put("mode", target.mode());
        }
        if (scope != null) {
            body.put("scope", scope);
        }
        body.set("input", input.deepCopy());
        ObjectNode merged = target.params() == null ? f.objectNode() : target.params().deepCopy();
        if (params != null) {
            params.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
        }
        body.set("params", merged);
        ObjectNode options = body.putObject("options");
        options.put("persist", false);
        if (target.release() != null) {
            options.put("release", target.release());
        }
        if (timeoutMs != null) {
            options.put("timeout_ms", timeoutMs);
        }
        return body;
    }

    static RunService.Entry entry(String requestId) {
        return new RunService.Entry(requestId, ENTRY_POINT, null, null, null, true);
    }

    /** Admits {@code target}'s run; its problems name the target's fields ({@code $.targets[1].model}). */
    static RunService.Admitted admit(RunService runs, Principal principal, Target target, ObjectNode body, String requestId) {
        try {
            return runs.admit(principal, body, entry(requestId), target.overrides(), target.path() + ".overrides");
        } catch (GatewayException e) {
            throw relocated(e, target.path());
        }
    }

    /** A refusal of a target's run request, its field paths moved under the target (the input stays where it is). */
    private static GatewayException relocated(GatewayException e, String targetPath) {
        if (e.errors().isEmpty()) {
            return e;
        }
        List<FieldError> moved = new ArrayList<>();
        for (FieldError x : e.errors()) {
            String p = x.path();
            String at = p;
            for (String field : new String[] {"$.model", "$.mode", "$.params", "$.options.release"}) {
                if (p.equals(field) || p.startsWith(field + ".") || p.startsWith(field + "[")) {
                    at = targetPath + "." + p.substring(field.lastIndexOf('.') + 1);
                }
            }
            moved.add(new FieldError(at, x.message()));
        }
        GatewayException.Builder b = GatewayException.of(e.category(), e.code(), e.detail()).status(e.status()).errors(moved);
        e.extensions().forEach(b::with);
        if (e.retryAfterSeconds() != null) {
            b.retryAfter(e.retryAfterSeconds());
        }
        e.headers().forEach(b::header);
        return b.build();
    }

    /** What one target's run answered: the run, or the problem that stopped it (and the run, if it failed). */
    record Outcome(Target target, RunRecord run, GatewayException problem, long latencyMs) {

        boolean succeeded() {
            return problem == null && run != null;
        }

        long costMicros() {
            return run == null ? 0 : run.costMicros();
        }

        Map<String, Object> view(int index) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", index);
            m.put("model", target.model());
            m.put("mode", run != null ? run.mode() : target.mode());
            m.put("release", run != null ? run.releaseVersion() : target.release());
            m.put("status", succeeded() ? "succeeded" : "failed");
            m.put("run_id", run != null ? run.id() : problemRunId());
            m.put("output", run != null ? run.output() : null);
            Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("input_tokens", run == null ? 0 : run.inputTokens());
            usage.put("output_tokens", run == null ? 0 : run.outputTokens());
            usage.put("units", run == null ? 0 : run.units());
            usage.put("estimated", run != null && run.usageEstimated());
            m.put("usage", usage);
            m.put("cost", Map.of("credits", Money.format(costMicros())));
            m.put("provider", run == null ? null : run.provider());
            m.put("route", run == null ? null : run.providerModel());
            m.put("latency_ms", latencyMs);
            m.put("overridden", target.overrides() != null);
            m.put("problem", problem == null ? null : problemView(problem));
            return m;
        }

        private String problemRunId() {
            return problem != null && problem.extensions().get("run_id") instanceof String id ? id : null;
        }
    }

    /** The problem of one target as the run's problem JSON would say it (no request id: the request's own). */
    static Map<String, Object> problemView(GatewayException e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "urn:aimp:problem:" + e.code());
        if (e.title() != null) {
            p.put("title", e.title());
        }
        p.put("status", e.status());
        p.put("detail", e.detail());
        p.put("code", e.code());
        p.put("category", e.category().wireName());
        e.extensions().forEach(p::putIfAbsent);
        if (!e.errors().isEmpty()) {
            p.put("errors", e.errors().stream().map(x -> Map.of("path", x.path(), "message", x.message())).toList());
        }
        return p;
    }

    /** Whether a refusal stops a whole playground request rather than one target: the wallet and the limits. */
    static boolean stopsTheRequest(GatewayException e) {
        return e.category() == ErrorCategory.LIMIT;
    }
}
