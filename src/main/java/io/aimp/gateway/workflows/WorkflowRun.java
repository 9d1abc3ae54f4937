package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.KnowledgeBase;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.vectors.SearchHit;
import io.aimp.gateway.vectors.VectorService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One execution of a workflow. A block starts once every block it depends on has ended; it is skipped
 * when a condition chose the other branch, when it is a fallback whose block did not fail, or when
 * every block it reads was skipped. Each block's start, redacted inputs, output size, cost and time go
 * to the run's execution log. A failing block fails the run with an {@code execution} problem naming
 * it, unless it declares a fallback. Wall time and nested model runs are capped.
 */
final class WorkflowRun {

    private enum State { PENDING, RUNNING, DONE, SKIPPED, FAILED }

    private record Finished(String name, JsonNode output, GatewayException error, long startedMs, long latencyMs,
                            Map<String, Object> detail) {
    }

    private final Execution run;
    private final WorkflowDefinition def;
    private final RunService runs;
    private final VectorService vectors;
    private final SafeHttp http;
    private final WorkflowProperties properties;
    private final ObjectMapper json;
    private final ObjectNode scope = JsonNodeFactory.instance.objectNode();
    private final Map<String, State> states = new LinkedHashMap<>();
    private final AtomicInteger nested = new AtomicInteger();
    private final long started = System.nanoTime();
    private long inputTokens;
    private long outputTokens;
    private boolean estimated;
    private String provider;
    private String providerModel;
    private int order;

    WorkflowRun(Execution run, WorkflowDefinition def, RunService runs, VectorService vectors, SafeHttp http,
                WorkflowProperties properties, ObjectMapper json) {
        this.run = run;
        this.def = def;
        this.runs = runs;
        this.vectors = vectors;
        this.http = http;
        this.properties = properties;
        this.json = json;
        scope.set("input", run.input());
        scope.set("params", run.params());
        scope.set("blocks", JsonNodeFactory.instance.objectNode());
        def.blocks().keySet().forEach(n -> states.put(n, State.PENDING));
    }

    ExecutionResult execute() {
        Duration cap = run.remaining().compareTo(properties.maxWall()) < 0 ? run.remaining() : properties.maxWall();
        long deadline = started + cap.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletionService<Finished> done = new ExecutorCompletionService<>(pool);
            int running = 0;
            while (true) {
                running += startReady(done);
                if (running == 0) {
                    break;
                }
                Future<Finished> next = done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    pool.shutdownNow();
                    throw problem("workflow_timeout", "the workflow ran longer than its limit of " + cap.toMillis()
                            + " ms (the run's timeout, capped by aimp.workflows.max-wall)", null);
                }
                running--;
                try {
                    finish(next.get());
                } catch (GatewayException failed) {
                    pool.shutdownNow(); // the run has failed: stop the blocks still running instead of waiting for them
                    throw failed;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw problem("workflow_interrupted", "the workflow was interrupted", null);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (states.get(def.output()) != State.DONE) {
            throw problem("workflow_no_output", "no path of the workflow reached its output block " + def.output(), def.output());
        }
        JsonNode output = scope.get("blocks").get(def.output()).get("output");
        List<FieldError> violations = run.mode().validateOutput(output);
        if (!violations.isEmpty()) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "invalid_workflow_output",
                            "the workflow's output does not match the output schema of " + run.model().slug() + "/" + run.mode().name())
                    .status(502).errors(violations).with("block", def.output()).build();
        }
        Usage usage = new Usage(inputTokens, outputTokens, inputTokens + outputTokens, estimated);
        return new ExecutionResult(output, usage, provider, providerModel);
    }

    /** Starts every block whose dependencies have ended (skipping those that must not run); returns how many started. */
    private int startReady(CompletionService<Finished> done) {
        int startedNow = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (WorkflowDefinition.Block b : def.blocks().values()) {
                if (states.get(b.name()) != State.PENDING || !b.deps().stream().allMatch(this::ended)) {
                    continue;
                }
                if (skip(b)) {
                    states.put(b.name(), State.SKIPPED);
                    run.logStep("block", b.name(), "skipped", 0, detail(Map.of("type", b.type().wireName())));
                    changed = true;
                    continue;
                }
                states.put(b.name(), State.RUNNING);
                JsonNode view = scope.deepCopy();
                Object mustache = json.convertValue(view, Map.class);
                long startMs = elapsedMs();
                done.submit(() -> runBlock(b, view, mustache, startMs));
                startedNow++;
            }
        }
        return startedNow;
    }

    private boolean ended(String name) {
        State s = states.get(name);
        return s == State.DONE || s == State.SKIPPED || s == State.FAILED;
    }

    private boolean skip(WorkflowDefinition.Block b) {
        for (WorkflowDefinition.Gate g : b.gates()) {
            if (states.get(g.condition()) != State.DONE
                    || !g.branch().equals(scope.get("blocks").get(g.condition()).path("output").path("branch").asString())) {
                return true;
            }
        }
        if (b.fallbackOf() != null && states.get(b.fallbackOf()) != State.FAILED) {
            return true;
        }
        List<String> data = b.deps().stream()
                .filter(d -> b.gates().stream().noneMatch(g -> g.condition().equals(d)) && !d.equals(b.fallbackOf()))
                .toList();
        return !data.isEmpty() && data.stream().noneMatch(d -> states.get(d) == State.DONE);
    }

    private Finished runBlock(WorkflowDefinition.Block b, JsonNode view, Object mustache, long startMs) {
        long t0 = System.nanoTime();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", b.type().wireName());
        try {
            JsonNode output = switch (b.type()) {
                case PROMPT -> prompt(b, mustache, detail);
                case MODEL -> model(b, view, mustache, detail);
                case SEARCH -> search(b, mustache, detail);
                case CONDITION -> condition(b, view);
                case TRANSFORM -> JsonTemplate.render(b.config().get("value"), view, mustache);
                case HTTP -> http(b, view, mustache, detail);
                case OUTPUT -> b.config().has("from")
                        ? view.get("blocks").get(b.config().get("from").asString()).get("output")
                        : JsonTemplate.render(b.config().get("value"), view, mustache);
            };
            return new Finished(b.name(), output, null, startMs, (System.nanoTime() - t0) / 1_000_000, detail);
        } catch (GatewayException e) {
            return new Finished(b.name(), null, e, startMs, (System.nanoTime() - t0) / 1_000_000, detail);
        } catch (RuntimeException e) {
            GatewayException wrapped = GatewayException.of(ErrorCategory.EXECUTION, "block_failed",
                    "the block failed inside the gateway").status(500).build();
            return new Finished(b.name(), null, wrapped, startMs, (System.nanoTime() - t0) / 1_000_000, detail);
        }
    }

    private void finish(Finished f) {
        WorkflowDefinition.Block b = def.blocks().get(f.name());
        Map<String, Object> detail = new LinkedHashMap<>(f.detail());
        detail.put("order", ++order);
        detail.put("started_ms", f.startedMs());
        if (f.error() == null) {
            states.put(f.name(), State.DONE);
            ObjectNode holder = JsonNodeFactory.instance.objectNode();
            holder.set("output", f.output());
            ((ObjectNode) scope.get("blocks")).set(f.name(), holder);
            detail.put("output_bytes", json.writeValueAsString(f.output()).length());
            run.logStep("block", f.name(), "succeeded", f.latencyMs(), detail(detail));
            return;
        }
        states.put(f.name(), State.FAILED);
        detail.put("error", f.error().code());
        detail.put("error_category", f.error().category().wireName());
        run.logStep("block", f.name(), "failed", f.latencyMs(), detail(detail));
        if (b.fallback() == null) {
            GatewayException e = f.error();
            throw GatewayException.of(ErrorCategory.EXECUTION, "block_failed", "block " + f.name() + " ("
                            + b.type().wireName() + ") failed: " + e.detail())
                    .status(e.category() == ErrorCategory.CONFIGURATION ? 500 : 502).with("block", f.name())
                    .with("block_error", Map.of("code", e.code(), "category", e.category().wireName())).build();
        }
    }

    private JsonNode prompt(WorkflowDefinition.Block b, Object mustache, Map<String, Object> detail) {
        String prompt = JsonTemplate.renderString(b.config().get("prompt").asString(), mustache);
        List<ChatMessage> messages = new ArrayList<>(2);
        if (b.config().has("system")) {
            String system = JsonTemplate.renderString(b.config().get("system").asString(), mustache);
            messages.add(new ChatMessage("system", system, List.of(), null));
            detail.put("inputs", Map.of("system", redacted(system), "prompt", redacted(prompt)));
        } else {
            detail.put("inputs", Map.of("prompt", redacted(prompt)));
        }
        messages.add(new ChatMessage("user", prompt, List.of(), null));
        Double temperature = b.config().path("temperature").isNumber() ? b.config().get("temperature").asDouble() : null;
        Routed<ChatResult> routed = run.chat(messages, temperature, b.config().get("max_tokens"), null, List.of());
        ChatResult result = routed.value();
        Usage u = result.usage() == null ? Usage.NONE : result.usage();
        synchronized (this) {
            inputTokens += u.inputTokens();
            outputTokens += u.outputTokens();
            estimated |= u.estimated();
            provider = routed.route().provider();
            providerModel = result.providerModel() != null ? result.providerModel() : routed.route().model();
        }
        detail.put("provider", routed.route().provider());
        detail.put("tokens", u.inputTokens() + u.outputTokens());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("text", result.text() == null ? "" : result.text());
        return out;
    }

    private JsonNode model(WorkflowDefinition.Block b, JsonNode view, Object mustache, Map<String, Object> detail) {
        if (nested.incrementAndGet() > properties.maxNestedRuns()) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "too_many_nested_runs",
                    "the workflow started more than " + properties.maxNestedRuns()
                            + " model runs (aimp.workflows.max-nested-runs)").status(422).build();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", b.config().get("model").asString());
        body.put("mode", b.config().path("mode").asString("execute"));
        JsonNode input = JsonTemplate.render(b.config().get("input"), view, mustache);
        body.set("input", input);
        if (b.config().has("params")) {
            body.set("params", JsonTemplate.render(b.config().get("params"), view, mustache));
        }
        if (run.scope() != null) {
            body.put("scope", run.scope());
        }
        detail.put("inputs", shape(input));
        RunService.Result result = runs.submit(run.principal(), body,
                new RunService.Entry(null, "workflow", null, run.runId(), run.deadlineMillis(),
                        run.sideEffectFree()));
        JsonNode output = switch (result) {
            case RunService.RunOutcome o -> {
                detail.put("run_id", o.run().id());
                detail.put("cost_micros", o.run().costMicros());
                yield o.run().output();
            }
            case RunService.Replayed r -> {
                detail.put("run_id", r.runId());
                yield r.body().get("output");
            }
        };
        return output == null ? JsonNodeFactory.instance.nullNode() : output;
    }

    private JsonNode search(WorkflowDefinition.Block b, Object mustache, Map<String, Object> detail) {
        String query = JsonTemplate.renderString(b.config().get("query").asString(), mustache);
        detail.put("inputs", Map.of("query", redacted(query)));
        String scopeName = b.config().has("scope") ? b.config().get("scope").asString() : run.scope();
        List<SearchHit> hits = vectors.search(run, b.config().get("knowledge_base").asString(), null, scopeName,
                query, b.config().path("top_k").asInt(KnowledgeBase.DEFAULT_TOP_K), 0.0);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("hits");
        for (SearchHit h : hits) {
            ObjectNode o = list.addObject();
            o.put("id", h.id());
            o.put("text", h.text());
            o.put("score", h.score());
            o.set("metadata", h.metadata());
        }
        detail.put("hits", hits.size());
        return out;
    }

    private JsonNode condition(WorkflowDefinition.Block b, JsonNode view) {
        boolean value = b.condition().test(view);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("value", value);
        out.put("branch", value ? "then" : "else");
        return out;
    }

    private JsonNode http(WorkflowDefinition.Block b, JsonNode view, Object mustache, Map<String, Object> detail) {
        String method = b.config().path("method").asString("GET");
        String body = null;
        if (b.config().has("body")) {
            JsonNode rendered = JsonTemplate.render(b.config().get("body"), view, mustache);
            detail.put("inputs", shape(rendered));
            body = json.writeValueAsString(rendered);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        b.config().path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        if (body != null) {
            headers.putIfAbsent("Content-Type", "application/json");
        }
        SafeHttp.Response r = http.call(b.config().get("url").asString(), method, headers, body);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("status", r.status());
        try {
            out.set("body", json.readTree(r.body()));
        } catch (JacksonException e) {
            out.put("body", r.body());
        }
        return out;
    }

    private GatewayException problem(String code, String detail, String block) {
        GatewayException.Builder b = GatewayException.of(ErrorCategory.EXECUTION, code, detail).status(504);
        if (block != null) {
            b.with("block", block).status(502);
        }
        return b.build();
    }

    private long elapsedMs() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Inputs in the log show their shape, never their content. */
    private static Map<String, Object> redacted(String text) {
        return Map.of("type", "string", "chars", text.length());
    }

    private static Map<String, Object> shape(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isString()
                    ? redacted(e.getValue().stringValue()) : Map.of("type", e.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT))));
        }
        return out;
    }

    private String detail(Map<String, Object> detail) {
        return json.writeValueAsString(detail);
    }
}
