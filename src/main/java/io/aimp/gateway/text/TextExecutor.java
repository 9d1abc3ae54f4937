package io.aimp.gateway.text;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code text} kind: Mustache templates over {@code input} and {@code params} make a system and
 * a user message; the release's routes answer. Output is {@code {text}}, or the JSON document the
 * mode's output schema describes (the provider is asked for it and the answer is checked).
 */
@Component
class TextExecutor implements RunExecutor {

    private final ObjectMapper json;

    TextExecutor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Kind kind() {
        return Kind.TEXT;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        TextSettings t = run.model().settings(TextSettings.class);
        Map<String, Object> scope = Map.of(
                "input", json.convertValue(run.input(), Map.class),
                "params", json.convertValue(run.params(), Map.class));
        List<ChatMessage> messages = new ArrayList<>(2);
        if (t.system() != null) {
            messages.add(new ChatMessage("system", t.system().execute(scope), List.of(), null));
        }
        messages.add(new ChatMessage("user", t.prompt().execute(scope), List.of(), null));
        JsonNode outputSchema = run.mode().outputSchema();
        boolean structured = isStructured(outputSchema);
        Double temperature = number(run.params().get("temperature"));
        JsonNode responseSchema = structured ? outputSchema : null;
        Routed<ChatResult> routed = run.chat(messages, temperature, run.params().get("max_tokens"), responseSchema,
                List.of());
        ChatResult result = routed.value();
        ObjectNode output;
        if (structured) {
            output = run.structuredOutput(result.text());
        } else {
            output = JsonNodeFactory.instance.objectNode();
            output.put("text", result.text() == null ? "" : result.text());
        }
        return new ExecutionResult(output, result.usage(), routed.route().provider(),
                result.providerModel() != null ? result.providerModel() : routed.route().model());
    }

    /** A declared output other than the plain {@code {text}} shape asks the provider for that JSON document. */
    static boolean isStructured(JsonNode outputSchema) {
        if (outputSchema == null || !"object".equals(outputSchema.path("type").asString(""))) {
            return false;
        }
        JsonNode props = outputSchema.path("properties");
        return !(props.isObject() && props.size() == 1 && props.has("text"));
    }

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }
}
