package io.aimp.gateway.assistants;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The {@code assistant:} block, checked by the catalog parser when the file loads.
 *
 * @param instructions Mustache template of the system prompt over {@code input} and {@code params}
 * @param maxSteps     provider calls allowed in one run; a model still calling tools after them fails the run
 * @param maxToolCallsPerStep tool calls executed for one step; the calls a step asks for beyond them are
 *                     answered to the model as not executed
 * @param tools        the enabled built-in tools with their settings ({@code {}} when none)
 */
record AssistantSettings(String instructions, int maxSteps, int maxToolCallsPerStep, JsonNode tools) {

    static final int DEFAULT_MAX_STEPS = 8;
    static final int DEFAULT_MAX_TOOL_CALLS_PER_STEP = 4;

    static AssistantSettings of(JsonNode block) {
        if (block == null || !block.isObject()) {
            return new AssistantSettings(null, DEFAULT_MAX_STEPS, DEFAULT_MAX_TOOL_CALLS_PER_STEP,
                    JsonNodeFactory.instance.objectNode());
        }
        JsonNode tools = block.path("tools");
        return new AssistantSettings(block.path("instructions").asString(null),
                block.path("max_steps").asInt(DEFAULT_MAX_STEPS),
                block.path("max_tool_calls_per_step").asInt(DEFAULT_MAX_TOOL_CALLS_PER_STEP),
                tools.isObject() ? tools : JsonNodeFactory.instance.objectNode());
    }

    boolean has(String tool) {
        return tools.has(tool);
    }

    JsonNode tool(String name) {
        return tools.path(name);
    }

    List<String> allowedModels() {
        List<String> out = new ArrayList<>();
        tools.path("run_model").path("models").forEach(n -> out.add(n.asString()));
        return out;
    }
}
