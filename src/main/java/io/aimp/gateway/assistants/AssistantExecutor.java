package io.aimp.gateway.assistants;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.ToolCall;
import io.aimp.gateway.providers.ToolSpec;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.vectors.VectorService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code assistant} kind: the provider's tool-calling loop. The instructions (and the text of the
 * input's files) make the system message, the input's {@code message} the user message; each step
 * is one provider call through the release's routes, and the tools it asks for (at most
 * {@code max_tool_calls_per_step}, within the run's deadline; see {@link Tools}) run before the next
 * step, until the model answers without calling a tool or {@code max_steps} calls were made (then
 * the run fails with {@code step_limit_reached}). Every step and every tool call is logged; the
 * usage of all steps is the run's usage. Output: {@code {answer, steps, tool_calls}}.
 */
@Component
class AssistantExecutor implements RunExecutor, DisposableBean {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Tools tools;
    private final Sandboxes sandbox;
    private final MediaService media;
    private final AssistantsProperties props;
    private final ObjectMapper json;

    AssistantExecutor(ObjectProvider<VectorService> vectors, ObjectProvider<RunService> runs, MediaService media,
                      AssistantsProperties props, ObjectMapper json) {
        this.sandbox = new Sandboxes(props);
        HttpGetTool http = new HttpGetTool(props.httpAllowedHosts(), props.httpTimeout(), (int) props.httpMaxBytes().toBytes());
        this.tools = new Tools(vectors, runs, http, sandbox::get, props, json);
        this.media = media;
        this.props = props;
        this.json = json;
    }

    @Override
    public Kind kind() {
        return AssistantSettings.KIND;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        PublishedModel model = run.model();
        AssistantSettings s = model.settings(AssistantSettings.class);
        List<ChatMessage> messages = new ArrayList<>();
        String system = system(run, s);
        if (!system.isBlank()) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(run.input().path("message").asString("")));
        List<ToolSpec> specs = tools.specs(s);
        Double temperature = run.params().path("temperature").isNumber() ? run.params().get("temperature").asDouble() : null;

        long in = 0;
        long out = 0;
        long units = 0;
        boolean estimated = false;
        int toolCalls = 0;
        Routed<ChatResult> last = null;
        for (int step = 1; step <= s.maxSteps(); step++) {
            // each step is metered: it checks the run's deadline and extends the hold for the whole
            // conversation it sends (every step resends it) before the provider is called
            long start = System.nanoTime();
            last = run.chat(messages, temperature, run.params().get("max_tokens"), null, specs);
            ChatResult r = last.value();
            Usage u = r.usage() == null ? Usage.NONE : r.usage();
            in += u.inputTokens();
            out += u.outputTokens();
            units += u.units();
            estimated |= u.estimated();
            logProviderStep(run, step, last, u, (System.nanoTime() - start) / 1_000_000);
            if (r.toolCalls().isEmpty()) {
                ObjectNode output = NODES.objectNode();
                output.put("answer", r.text());
                output.put("steps", step);
                output.put("tool_calls", toolCalls);
                return new ExecutionResult(output, new Usage(in, out, units, estimated), last.route().provider(),
                        r.providerModel() != null ? r.providerModel() : last.route().model());
            }
            messages.add(ChatMessage.assistant(r.text().isEmpty() ? null : r.text(), r.toolCalls()));
            long deadline = System.nanoTime() + run.remaining().toNanos(); // the run's one deadline, on the tools' clock
            for (int i = 0; i < r.toolCalls().size(); i++) {
                ToolCall call = r.toolCalls().get(i);
                JsonNode args = call.arguments() == null ? NODES.objectNode() : call.arguments();
                long t0 = System.nanoTime();
                // within the run's deadline and the step's cap; a call that did not run still answers the model
                Tools.Answer answer = tools.call(run, s, call.name(), args, i, deadline);
                toolCalls += answer.executed() ? 1 : 0;
                ObjectNode detail = NODES.objectNode();
                detail.put("step", step);
                detail.put("call_id", call.id());
                detail.set("arguments", Redaction.arguments(call.name(), args));
                detail.put("result_chars", answer.content().length());
                if (!answer.ok()) {
                    detail.set("error", Redaction.error(answer.content(), json));
                }
                run.logStep("tool_call", call.name(), !answer.executed() ? "skipped" : answer.ok() ? "ok" : "error",
                        (System.nanoTime() - t0) / 1_000_000,
                        json.writeValueAsString(detail));
                messages.add(ChatMessage.toolResult(call.id(), answer.content()));
            }
        }
        throw GatewayException.of(ErrorCategory.EXECUTION, "step_limit_reached",
                "the assistant was still calling tools after " + s.maxSteps() + " steps (assistant.max_steps of "
                        + model.slug() + ")").status(502).build();
    }

    private void logProviderStep(Execution run, int step, Routed<ChatResult> routed, Usage u, long ms) {
        ObjectNode detail = NODES.objectNode();
        detail.put("step", step);
        detail.put("finish_reason", routed.value().finishReason());
        var names = detail.putArray("tool_calls");
        routed.value().toolCalls().forEach(c -> names.add(c.name()));
        detail.put("input_tokens", u.inputTokens());
        detail.put("output_tokens", u.outputTokens());
        run.logStep("provider_step", routed.route().provider() + "/" + routed.route().model(), "ok", ms,
                json.writeValueAsString(detail));
    }

    private String system(Execution run, AssistantSettings s) {
        StringBuilder sb = new StringBuilder();
        if (s.instructions() != null) {
            Map<String, Object> scope = Map.of("input", json.convertValue(run.input(), Map.class),
                    "params", json.convertValue(run.params(), Map.class));
            sb.append(s.instructions().execute(scope));
        }
        JsonNode files = run.input().path("files");
        int budget = props.fileMaxChars();
        for (JsonNode f : files) {
            String ref = f.path("media_ref").asString(null);
            if (ref == null || budget <= 0) {
                continue;
            }
            String text = FileText.extract(media, run.principal(), ref, budget);
            budget -= text.length();
            String name = f.path("filename").asString(ref);
            sb.append("\n\n<file name=\"").append(name.replace("\"", "'")).append("\">\n").append(text).append("\n</file>");
        }
        return sb.toString().strip();
    }

    @Override
    public void destroy() {
        sandbox.close();
    }

    /** The code sandbox (built on first use), for tests that watch what it runs. */
    CodeSandbox codeSandbox() {
        return sandbox.get();
    }

    /** The JavaScript engine starts on the first {@code run_code}, not with the gateway. */
    private static final class Sandboxes {
        private final AssistantsProperties props;
        private CodeSandbox sandbox;
        private boolean closed;

        Sandboxes(AssistantsProperties props) {
            this.props = props;
        }

        synchronized CodeSandbox get() {
            if (closed) {
                throw new IllegalStateException("shutting down");
            }
            if (sandbox == null) {
                sandbox = new CodeSandbox(props.codeThreads(), props.codeMaxAllocation().toBytes(), 4_000);
            }
            return sandbox;
        }

        synchronized void close() {
            closed = true;
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }
}
