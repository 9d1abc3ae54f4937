package io.aimp.gateway.assistants;

import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.KnowledgeBase;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code assistant:} block, read when the catalog loads.
 *
 * @param instructions        the system prompt template over {@code input} and {@code params}, or {@code null}
 * @param maxSteps            provider calls allowed in one run; a model still calling tools after them fails the run
 * @param maxToolCallsPerStep tool calls executed for one step; the calls a step asks for beyond them are
 *                            answered to the model as not executed
 * @param tools               the enabled built-in tools, in file order
 * @param knowledgeSearch     the knowledge base of {@code knowledge_search}, or {@code null} when it is off
 * @param runModels           the slugs {@code run_model} may run (empty when it is off)
 * @param runCodeTimeoutMs    the {@code run_code} time limit the file sets, or {@code null} for the gateway's
 */
public record AssistantSettings(Template instructions, int maxSteps, int maxToolCallsPerStep, Set<String> tools,
                                KnowledgeBase knowledgeSearch, List<String> runModels, Integer runCodeTimeoutMs) {

    public static final Kind KIND = new Kind("assistant");
    static final int DEFAULT_MAX_STEPS = 8;
    static final int MAX_STEPS = 50;
    static final int DEFAULT_MAX_TOOL_CALLS_PER_STEP = 4;
    static final int MAX_TOOL_CALLS_PER_STEP = 32;
    static final Set<String> TOOLS = new TreeSet<>(Set.of("knowledge_search", "run_model", "http_get", "run_code"));
    private static final Set<String> FIELDS = SettingsReader.fields("instructions", "tools", "max_steps",
            "max_tool_calls_per_step");

    public AssistantSettings {
        tools = Set.copyOf(tools);
        runModels = List.copyOf(runModels);
    }

    boolean has(String tool) {
        return tools.contains(tool);
    }

    /** Reads {@code assistant: {instructions, max_steps, max_tool_calls_per_step, tools}}; all optional. */
    @Component
    public static final class Reader implements KindSettings<AssistantSettings> {

        @Override
        public Kind kind() {
            return KIND;
        }

        /** The templates a playground run may replace for itself. */
        @Override
        public Set<String> overridable() {
            return Set.of("instructions");
        }

        @Override
        public AssistantSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                return new AssistantSettings(null, DEFAULT_MAX_STEPS, DEFAULT_MAX_TOOL_CALLS_PER_STEP, Set.of(), null,
                        List.of(), null);
            }
            in.unknownFields(block, "assistant", FIELDS);
            Template instructions = in.template(block, "instructions", "assistant", false);
            int steps = in.whole(block, "max_steps", "assistant", 1, MAX_STEPS, DEFAULT_MAX_STEPS);
            int perStep = in.whole(block, "max_tool_calls_per_step", "assistant", 1, MAX_TOOL_CALLS_PER_STEP,
                    DEFAULT_MAX_TOOL_CALLS_PER_STEP);
            Tools t = new Tools();
            JsonNode tools = block.get("tools");
            if (tools != null && !tools.isNull() && in.mapping(tools, "assistant.tools",
                    "of tool name to its settings ({} for none); tools: " + String.join(", ", TOOLS))) {
                for (String name : tools.propertyNames()) {
                    t.read(name, tools.get(name), in);
                }
            }
            return new AssistantSettings(instructions, steps, perStep, t.enabled, t.knowledgeSearch, t.runModels,
                    t.runCodeTimeoutMs);
        }
    }

    /** The tools of one block as they are read. */
    private static final class Tools {
        final Set<String> enabled = new LinkedHashSet<>();
        final List<String> runModels = new ArrayList<>();
        KnowledgeBase knowledgeSearch;
        Integer runCodeTimeoutMs;

        void read(String name, JsonNode t, SettingsReader in) {
            String path = "assistant.tools." + name;
            boolean empty = t == null || t.isNull();
            if (!TOOLS.contains(name)) {
                in.problem(path, "is not a built-in tool (" + String.join(", ", TOOLS) + ")");
                return;
            }
            if (!empty && !in.mapping(t, path, "of the tool's settings")) {
                return;
            }
            enabled.add(name);
            switch (name) {
                case "knowledge_search" -> {
                    if (empty) {
                        in.problem(path, "needs model and scope");
                    } else {
                        knowledgeSearch = in.knowledgeBase(t, path);
                    }
                }
                case "run_model" -> runModel(t, path, in);
                case "run_code" -> {
                    if (!empty) {
                        in.unknownFields(t, path, SettingsReader.fields("timeout_ms"));
                        runCodeTimeoutMs = in.positive(t, "timeout_ms", path);
                    }
                }
                default -> {
                    if (!empty) {
                        in.unknownFields(t, path, Set.of());
                    }
                }
            }
        }

        private void runModel(JsonNode t, String path, SettingsReader in) {
            JsonNode models = t == null || t.isNull() ? null : t.get("models");
            if (t != null && !t.isNull()) {
                in.unknownFields(t, path, SettingsReader.fields("models"));
            }
            if (models == null || !models.isArray() || models.isEmpty()) {
                in.problem(path + ".models", "must list the slugs of the models the assistant may run");
                return;
            }
            models.forEach(m -> runModels.add(m.asString()));
        }
    }
}
