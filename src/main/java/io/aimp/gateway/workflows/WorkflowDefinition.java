package io.aimp.gateway.workflows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A validated workflow: named blocks in file order forming a DAG, and the one output block.
 *
 * @param blocks every block by name, in file order
 * @param output the name of the output block
 */
record WorkflowDefinition(Map<String, Block> blocks, String output) {

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
}
