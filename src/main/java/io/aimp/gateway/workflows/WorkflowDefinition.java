package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import io.aimp.gateway.common.Expr;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A validated workflow, parsed once when the catalog loads: named blocks in file order forming a DAG, and the one
 * output block.
 *
 * @param blocks every block by name, in file order
 * @param output the name of the output block
 */
public record WorkflowDefinition(Map<String, Block> blocks, String output) {

    public static final Kind KIND = new Kind("workflow");

    /**
     * One block.
     *
     * @param deps      the blocks it reads or waits for ({@code after}, references, its condition)
     * @param gates     the conditions that must choose it: each {@code condition block → branch taken}
     * @param fallbackOf the block this one stands in for when that block fails, or {@code null}
     * @param condition the parsed {@code if} of a condition block, else {@code null}
     */
    record Block(String name, BlockType type, JsonNode config, Set<String> deps, List<Gate> gates, String fallback,
                 String fallbackOf, Expr condition) {
    }

    /** The block runs only if condition {@code condition} chose {@code branch} ({@code then} or {@code else}). */
    record Gate(String condition, String branch) {
    }

    /** Reads the {@code workflow:} block with {@link WorkflowParser}. */
    @Component
    public static final class Reader implements KindSettings<WorkflowDefinition> {

        private final WorkflowProperties properties;

        Reader(WorkflowProperties properties) {
            this.properties = properties;
        }

        @Override
        public Kind kind() {
            return KIND;
        }

        @Override
        public WorkflowDefinition read(JsonNode block, Model model, SettingsReader in) {
            return WorkflowParser.parse(block, model.modes(), model.slug(), properties, in);
        }
    }
}
