package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.SettingsReader;
import io.aimp.gateway.common.Expr;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads and validates the {@code workflow:} block of a catalog file: block types and their fields,
 * references to blocks and input fields, conditions, templates, cycles, the one output block and that
 * every block leads to it. Problems go to the reader as (path, reason); a definition is returned only
 * when there were none.
 */
final class WorkflowParser {

    static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
    private static final Set<String> TOP = Set.of("blocks", "description");

    private final WorkflowProperties properties;
    private final SettingsReader in;
    private final int before;
    private String slug;
    private Set<String> inputFields;
    private final Map<String, JsonNode> raw = new LinkedHashMap<>();
    private final Map<String, BlockType> types = new LinkedHashMap<>();
    private final Map<String, Set<String>> deps = new LinkedHashMap<>();
    private final Map<String, List<WorkflowDefinition.Gate>> gates = new HashMap<>();
    private final Map<String, String> fallbackOf = new HashMap<>();
    private final Map<String, Expr> conditions = new HashMap<>();

    private WorkflowParser(WorkflowProperties properties, SettingsReader in) {
        this.properties = properties;
        this.in = in;
        this.before = in.problems();
    }

    /** The definition, or {@code null} when {@code in} received a problem. */
    static WorkflowDefinition parse(JsonNode root, Map<String, Mode> modes, String slug, WorkflowProperties properties,
                                    SettingsReader in) {
        return new WorkflowParser(properties, in).parse(root, modes, slug);
    }

    private void problem(String path, String reason) {
        in.problem(path, reason);
    }

    private boolean failed() {
        return in.problems() != before;
    }

    private WorkflowDefinition parse(JsonNode root, Map<String, Mode> modes, String slug) {
        this.slug = slug;
        if (root == null) {
            problem("workflow", "is required for a workflow model: give blocks (a mapping of block name to block)");
            return null;
        }
        in.unknownFields(root, "workflow", TOP);
        for (Mode m : modes.values()) {
            if (m.outputSchema() == null) {
                problem("modes." + m.name() + ".output", "is required for a workflow model: the JSON Schema its output block must match");
            }
        }
        JsonNode blocksNode = root.get("blocks");
        if (blocksNode == null || !blocksNode.isObject() || blocksNode.isEmpty()) {
            problem("workflow.blocks", "is required: a mapping of block name to block (type: model | prompt | search | condition | "
                    + "transform | http | output)");
            return null;
        }
        if (blocksNode.size() > properties.maxBlocks()) {
            problem("workflow.blocks", "has " + blocksNode.size() + " blocks; at most " + properties.maxBlocks()
                    + " are allowed (aimp.workflows.max-blocks)");
        }
        inputFields = inputFields(modes);
        for (Map.Entry<String, JsonNode> e : blocksNode.properties()) {
            blockType(e.getKey(), e.getValue());
        }
        if (failed()) {
            return null;
        }
        for (String name : raw.keySet()) {
            deps.put(name, new LinkedHashSet<>());
            gates.put(name, new ArrayList<>());
        }
        raw.forEach(this::block);
        return failed() ? null : graph();
    }

    /** Records the block's type, or reports why it has none. */
    private void blockType(String name, JsonNode b) {
        String path = "workflow.blocks." + name;
        if (!NAME.matcher(name).matches()) {
            problem(path, "is not a valid block name: it must match " + NAME.pattern());
            return;
        }
        if (!in.mapping(b, path, "with type and the fields of that type")) {
            return;
        }
        JsonNode typeNode = b.get("type");
        if (typeNode == null || !typeNode.isString()) {
            problem(path + ".type", "is required: one of " + BlockType.wireNames());
            return;
        }
        BlockType type = BlockType.fromWireName(typeNode.stringValue()).orElse(null);
        if (type == null) {
            problem(path + ".type", "'" + typeNode.stringValue() + "' is not a block type; use one of " + BlockType.wireNames());
            return;
        }
        raw.put(name, b);
        types.put(name, type);
    }

    /** Checks one block's fields and records what it depends on. */
    private void block(String name, JsonNode b) {
        String path = "workflow.blocks." + name;
        BlockType type = types.get(name);
        for (String field : b.propertyNames()) {
            if (!BlockType.COMMON.contains(field) && !type.fields().contains(field)) {
                problem(path + "." + field, "is not a field of a " + type.wireName() + " block (known: "
                        + String.join(", ", new java.util.TreeSet<>(union(type.fields(), BlockType.COMMON))) + ")");
            }
        }
        Set<String> mine = deps.get(name);
        BiConsumer<String, String> ref = (where, reference) -> reference(path + "." + where, name, reference, mine);
        JsonNode after = b.get("after");
        if (after != null && !after.isArray()) {
            problem(path + ".after", "must be a list of block names");
        } else if (after != null) {
            for (JsonNode a : after) {
                blockName(path + ".after", a.asString(""), name).ifPresent(mine::add);
            }
        }
        switch (type) {
            case PROMPT -> {
                template(b, "prompt", path, true, ref);
                template(b, "system", path, false, ref);
            }
            case MODEL -> model(b, path, ref);
            case SEARCH -> {
                text(b, "knowledge_base", path, true);
                template(b, "query", path, true, ref);
                in.topK(b, path);
            }
            case CONDITION -> condition(name, b, path, ref);
            case TRANSFORM -> document(b, "value", path, true, ref);
            case HTTP -> http(b, path, ref);
            case OUTPUT -> output(name, b, path, ref);
        }
        JsonNode fallback = b.get("fallback");
        if (fallback != null) {
            blockName(path + ".fallback", fallback.asString(""), name).ifPresent(f -> {
                if (fallbackOf.putIfAbsent(f, name) != null) {
                    problem(path + ".fallback", "'" + f + "' is already the fallback of " + fallbackOf.get(f));
                }
                deps.get(f).add(name);
            });
        }
    }

    private void model(JsonNode b, String path, BiConsumer<String, String> ref) {
        String model = text(b, "model", path, true);
        if (model != null && model.equals(slug)) {
            problem(path + ".model", "names this workflow itself; a workflow cannot run itself");
        }
        text(b, "mode", path, false);
        document(b, "input", path, true, ref);
        document(b, "params", path, false, ref);
    }

    private void condition(String name, JsonNode b, String path, BiConsumer<String, String> ref) {
        String expr = text(b, "if", path, true);
        if (expr != null) {
            try {
                Expr parsed = Expr.parse(expr);
                conditions.put(name, parsed);
                parsed.references(r -> ref.accept("if", r));
            } catch (Expr.SyntaxError err) {
                problem(path + ".if", "is not a valid condition: " + err.getMessage());
            }
        }
        for (String branch : List.of("then", "else")) {
            String target = text(b, branch, path, branch.equals("then"));
            if (target != null) {
                blockName(path + "." + branch, target, name).ifPresent(t -> {
                    gates.get(t).add(new WorkflowDefinition.Gate(name, branch));
                    deps.get(t).add(name);
                });
            }
        }
    }

    private void http(JsonNode b, String path, BiConsumer<String, String> ref) {
        String url = text(b, "url", path, true);
        if (url != null) {
            try {
                SafeHttp.checkConfigured(url, properties.http());
            } catch (IllegalArgumentException err) {
                problem(path + ".url", err.getMessage());
            }
        }
        String method = text(b, "method", path, false);
        if (method != null && !method.equals("GET") && !method.equals("POST")) {
            problem(path + ".method", "must be GET or POST");
        }
        document(b, "body", path, false, ref);
        JsonNode headers = b.get("headers");
        if (headers != null && in.mapping(headers, path + ".headers", "of header name to value")) {
            headers.properties().forEach(h -> {
                try {
                    EgressClient.checkHeaders(Map.of(h.getKey(), h.getValue().asString("")));
                } catch (EgressException err) {
                    problem(path + ".headers." + h.getKey(), err.getMessage());
                }
            });
        }
    }

    private void output(String name, JsonNode b, String path, BiConsumer<String, String> ref) {
        boolean hasFrom = b.has("from");
        boolean hasValue = b.has("value");
        if (hasFrom == hasValue) {
            problem(path, "needs exactly one of from (a block whose output is the workflow's output) or value "
                    + "(a template document)");
        } else if (hasFrom) {
            blockName(path + ".from", b.get("from").asString(""), name).ifPresent(deps.get(name)::add);
        } else {
            document(b, "value", path, true, ref);
        }
    }

    /** The one output block, no cycle, every block leading to the output: the definition, or {@code null}. */
    private WorkflowDefinition graph() {
        List<String> outputs = types.entrySet().stream().filter(e -> e.getValue() == BlockType.OUTPUT).map(Map.Entry::getKey).toList();
        if (outputs.isEmpty()) {
            problem("workflow.blocks", "has no output block: add one block with type: output");
        } else if (outputs.size() > 1) {
            problem("workflow.blocks", "has " + outputs.size() + " output blocks (" + String.join(", ", outputs) + "); keep exactly one");
        }
        if (failed()) {
            return null;
        }
        List<String> cycle = cycle(deps);
        if (cycle != null) {
            problem("workflow.blocks", "form a cycle: " + String.join(" → ", cycle));
            return null;
        }
        String output = outputs.getFirst();
        if (!gates.get(output).isEmpty() || fallbackOf.containsKey(output)) {
            problem("workflow.blocks." + output, "is reachable only on one branch; the output block must run on every path");
        }
        Set<String> feeding = ancestors(output, deps);
        for (String name : raw.keySet()) {
            if (!name.equals(output) && !feeding.contains(name)) {
                problem("workflow.blocks." + name, "never reaches the output block " + output
                        + " (nothing the output depends on reads it or runs after it)");
            }
        }
        if (failed()) {
            return null;
        }
        Map<String, WorkflowDefinition.Block> blocks = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            JsonNode b = raw.get(name);
            blocks.put(name, new WorkflowDefinition.Block(name, types.get(name), b, Set.copyOf(deps.get(name)),
                    List.copyOf(gates.get(name)), b.has("fallback") ? b.get("fallback").asString() : null,
                    fallbackOf.get(name), conditions.get(name)));
        }
        return new WorkflowDefinition(blocks, output);
    }

    /** A reference found in a template, path or condition: input.x, params.x or blocks.b.output.f. */
    private void reference(String path, String self, String reference, Set<String> deps) {
        String[] parts = reference.replaceAll("\\[[0-9]+]", "").split("\\.");
        switch (parts[0]) {
            case "input" -> {
                if (parts.length > 1 && inputFields != null && !inputFields.contains(parts[1])) {
                    problem(path, "refers to input." + parts[1] + ", which the mode's input schema does not declare (declared: "
                            + String.join(", ", inputFields) + ")");
                }
            }
            case "params" -> { }
            case "blocks" -> {
                if (parts.length < 2) {
                    problem(path, "refers to blocks without naming one (use blocks.<name>.output...)");
                    return;
                }
                blockName(path, parts[1], self).ifPresent(target -> {
                    deps.add(target);
                    if (parts.length > 2 && !parts[2].equals("output")) {
                        problem(path, "refers to blocks." + target + "." + parts[2] + "; a block's result is read as blocks."
                                + target + ".output");
                    } else if (parts.length > 3) {
                        Set<String> known = types.get(target).outputFields();
                        if (!known.isEmpty() && !known.contains(parts[3])) {
                            problem(path, "refers to blocks." + target + ".output." + parts[3] + ", but a "
                                    + types.get(target).wireName() + " block's output has only " + String.join(", ", new java.util.TreeSet<>(known)));
                        }
                    }
                });
            }
            default -> {
                // a name inside a Mustache section is relative to the section; only dotted roots are checked
                if (parts.length > 1) {
                    problem(path, "refers to '" + reference + "'; references start with input., params. or blocks.");
                }
            }
        }
    }

    private java.util.Optional<String> blockName(String path, String name, String self) {
        if (name.equals(self)) {
            problem(path, "refers to its own block " + name);
            return java.util.Optional.empty();
        }
        if (!types.containsKey(name)) {
            problem(path, "refers to block '" + name + "', which does not exist (blocks: " + String.join(", ", types.keySet()) + ")");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(name);
    }

    private String text(JsonNode b, String field, String path, boolean required) {
        String s = in.string(b, field, path, required);
        if (s != null && s.isBlank()) {
            problem(path + "." + field, "must not be empty");
            return null;
        }
        return s;
    }

    private void template(JsonNode b, String field, String path, boolean required, BiConsumer<String, String> ref) {
        String t = text(b, field, path, required);
        if (t != null) {
            JsonTemplate.checkString(t, reason -> problem(path + "." + field, reason), r -> ref.accept(field, r));
        }
    }

    private void document(JsonNode b, String field, String path, boolean required, BiConsumer<String, String> ref) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                problem(path + "." + field, "is required");
            }
            return;
        }
        JsonTemplate.check(n, reason -> problem(path + "." + field, reason), r -> ref.accept(field, r));
    }

    /** The input fields every mode declares, or {@code null} when some mode leaves its input open. */
    private static Set<String> inputFields(Map<String, Mode> modes) {
        Set<String> fields = new java.util.TreeSet<>();
        for (Mode m : modes.values()) {
            JsonNode props = m.inputSchema().get("properties");
            if (props == null || !props.isObject()) {
                return null;
            }
            fields.addAll(props.propertyNames());
        }
        return modes.isEmpty() ? null : fields;
    }

    /** One cycle as a path of block names, or {@code null}. */
    private static List<String> cycle(Map<String, Set<String>> deps) {
        Map<String, Integer> state = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        for (String start : deps.keySet()) {
            List<String> found = visit(start, deps, state, stack);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<String> visit(String node, Map<String, Set<String>> deps, Map<String, Integer> state, Deque<String> stack) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null && s == 1) {
            List<String> path = new ArrayList<>();
            boolean on = false;
            for (java.util.Iterator<String> it = stack.descendingIterator(); it.hasNext(); ) {
                String n = it.next();
                on |= n.equals(node);
                if (on) {
                    path.add(n);
                }
            }
            path.add(node);
            return path;
        }
        state.put(node, 1);
        stack.push(node);
        for (String d : deps.get(node)) {
            List<String> found = visit(d, deps, state, stack);
            if (found != null) {
                return found;
            }
        }
        stack.pop();
        state.put(node, 2);
        return null;
    }

    private static Set<String> ancestors(String node, Map<String, Set<String>> deps) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(deps.get(node));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (seen.add(n)) {
                todo.addAll(deps.get(n));
            }
        }
        return seen;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }
}
