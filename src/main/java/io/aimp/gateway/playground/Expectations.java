package io.aimp.gateway.playground;

import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.common.BoundedMatch;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.common.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code expect} of an evaluation case, read once and checked against each target's run. Every check says why it
 * failed; the case passes when every check passes.
 *
 * <p>The <em>answer</em> is the output's {@code text}, {@code reply}, {@code answer} or {@code content} (the first
 * that is a string), else the output as JSON text. The <em>document</em> of {@code json_schema} and {@code equals} is
 * the answer parsed as JSON when it is JSON, else the output.
 */
record Expectations(List<String> contains, List<String> notContains, Pattern regex, JsonNode jsonSchema,
                    List<Equals> equals, Long maxCostMicros, Long maxLatencyMs, List<ToolCalled> toolCalled,
                    List<String> citationsInclude, Judge judge) {

    static final Set<String> FIELDS = Set.of("contains", "not_contains", "regex", "json_schema", "equals", "max_cost",
            "max_latency_ms", "tool_called", "citations_include", "judge");
    private static final int MAX_PATTERN = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code equals}: the value at a JSON path ({@code $.a.b[0]}) of the document. */
    record Equals(String path, JsonNode value) {
    }

    /**
     * {@code tool_called}: whether an assistant called {@code name} (or did not, {@code called: false}); with
     * {@code arguments}, a call whose arguments match every matcher (a value it equals, {@code {contains}} or
     * {@code {regex}} on its text).
     */
    record ToolCalled(String name, boolean called, Map<String, JsonNode> arguments) {
    }

    /** {@code judge}: a second model grades the answer against {@code rubric}; {@code model} or the suite's judge. */
    record Judge(String rubric, String model) {
    }

    /** What a case is checked against: the run's output, cost, latency and the tool calls it logged. */
    record Observed(JsonNode output, long costMicros, long latencyMs, List<Call> calls) {
    }

    /** A tool call an assistant run made, with its (redacted) arguments. */
    record Call(String name, JsonNode arguments) {
    }

    static Expectations read(JsonNode node, String path, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return new Expectations(List.of(), List.of(), null, null, List.of(), null, null, List.of(), List.of(), null);
        }
        if (!node.isObject()) {
            errors.add(new FieldError(path, "must be an object of expectations: " + String.join(", ", new TreeSet<>(FIELDS))));
            return null;
        }
        for (String f : node.propertyNames()) {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(path + "." + Printable.of(f), "is not an expectation; use one of "
                        + String.join(", ", new TreeSet<>(FIELDS))));
            }
        }
        Pattern regex = null;
        JsonNode r = node.get("regex");
        if (r != null) {
            if (!r.isString() || r.asString().isEmpty() || r.asString().length() > MAX_PATTERN) {
                errors.add(new FieldError(path + ".regex", "must be a regular expression of 1 to " + MAX_PATTERN + " characters"));
            } else {
                try {
                    regex = Pattern.compile(r.asString());
                } catch (PatternSyntaxException e) {
                    errors.add(new FieldError(path + ".regex", "is not a valid regular expression: " + e.getDescription()));
                }
            }
        }
        JsonNode schema = node.get("json_schema");
        if (schema != null) {
            if (!schema.isObject()) {
                errors.add(new FieldError(path + ".json_schema", "must be a JSON Schema object"));
                schema = null;
            } else {
                List<String> problems = CatalogService.schemaProblems(schema);
                if (!problems.isEmpty()) {
                    errors.add(new FieldError(path + ".json_schema", "is not a usable JSON Schema: " + problems.getFirst()));
                    schema = null;
                }
            }
        }
        List<Equals> equals = new ArrayList<>();
        JsonNode eq = node.get("equals");
        if (eq != null) {
            List<JsonNode> items = new ArrayList<>();
            if (eq.isArray()) {
                eq.forEach(items::add);
            } else {
                items.add(eq);
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode e = items.get(i);
                String at = path + ".equals" + (eq.isArray() ? "[" + i + "]" : "");
                if (!e.isObject() || !e.path("path").isString() || !e.path("path").asString().startsWith("$") || !e.has("value")) {
                    errors.add(new FieldError(at, "must be {path: \"$.field\", value: ...} (or a list of them)"));
                } else {
                    equals.add(new Equals(e.get("path").asString(), e.get("value")));
                }
            }
        }
        Long maxCost = null;
        JsonNode mc = node.get("max_cost");
        if (mc != null) {
            try {
                maxCost = Money.parseCredits(mc.isNumber() ? mc.decimalValue().toPlainString() : mc.asString());
            } catch (RuntimeException e) {
                errors.add(new FieldError(path + ".max_cost", "must be credits, e.g. \"0.01\""));
            }
        }
        Long maxLatency = null;
        JsonNode ml = node.get("max_latency_ms");
        if (ml != null) {
            if (!ml.isIntegralNumber() || ml.asLong() < 0) {
                errors.add(new FieldError(path + ".max_latency_ms", "must be whole milliseconds, 0 or more"));
            } else {
                maxLatency = ml.asLong();
            }
        }
        List<ToolCalled> tools = new ArrayList<>();
        JsonNode tc = node.get("tool_called");
        if (tc != null) {
            List<JsonNode> items = new ArrayList<>();
            if (tc.isArray()) {
                tc.forEach(items::add);
            } else {
                items.add(tc);
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode t = items.get(i);
                String at = path + ".tool_called" + (tc.isArray() ? "[" + i + "]" : "");
                if (t.isString() && !t.asString().isBlank()) {
                    tools.add(new ToolCalled(t.asString(), true, Map.of()));
                } else if (t.isObject() && t.path("name").isString() && !t.path("name").asString().isBlank()
                        && (!t.has("called") || t.get("called").isBoolean())
                        && (!t.has("arguments") || t.get("arguments").isObject())) {
                    Map<String, JsonNode> args = new LinkedHashMap<>();
                    if (t.has("arguments")) {
                        t.get("arguments").properties().forEach(a -> args.put(a.getKey(), a.getValue()));
                        for (var a : args.entrySet()) {
                            JsonNode m = a.getValue();
                            if (m.isObject() && m.has("regex")) {
                                try {
                                    Pattern.compile(m.get("regex").asString());
                                } catch (PatternSyntaxException e) {
                                    errors.add(new FieldError(at + ".arguments." + a.getKey() + ".regex",
                                            "is not a valid regular expression: " + e.getDescription()));
                                }
                            }
                        }
                    }
                    tools.add(new ToolCalled(t.get("name").asString(), t.path("called").asBoolean(true), args));
                } else {
                    errors.add(new FieldError(at, "must be a tool name or {name, called?, arguments?}"));
                }
            }
        }
        Judge judge = null;
        JsonNode j = node.get("judge");
        if (j != null) {
            if (j.isString() && !j.asString().isBlank()) {
                judge = new Judge(j.asString(), null);
            } else if (j.isObject() && j.path("rubric").isString() && !j.path("rubric").asString().isBlank()
                    && (!j.has("model") || j.get("model").isString())) {
                judge = new Judge(j.get("rubric").asString(), j.has("model") ? j.get("model").asString() : null);
            } else {
                errors.add(new FieldError(path + ".judge", "must be a rubric or {rubric, model?}"));
            }
        }
        return new Expectations(strings(node.get("contains"), path + ".contains", errors),
                strings(node.get("not_contains"), path + ".not_contains", errors), regex, schema, equals, maxCost,
                maxLatency, tools, strings(node.get("citations_include"), path + ".citations_include", errors), judge);
    }

    private static List<String> strings(JsonNode n, String path, List<FieldError> errors) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isString()) {
            out.add(n.asString());
        } else if (n.isArray() && n.size() > 0) {
            n.forEach(x -> {
                if (x.isString()) {
                    out.add(x.asString());
                } else {
                    errors.add(new FieldError(path, "must be a string or a list of strings"));
                }
            });
        } else {
            errors.add(new FieldError(path, "must be a string or a list of strings"));
        }
        return out;
    }

    /** Every reason the observed run does not meet these expectations (the judge aside); empty when it does. */
    List<String> check(Observed o) {
        List<String> reasons = new ArrayList<>();
        String answer = answer(o.output());
        for (String s : contains) {
            if (!answer.contains(s)) {
                reasons.add("contains: the answer does not contain \"" + s + "\"");
            }
        }
        for (String s : notContains) {
            if (answer.contains(s)) {
                reasons.add("not_contains: the answer contains \"" + s + "\"");
            }
        }
        if (regex != null) {
            try {
                if (!BoundedMatch.find(regex, answer)) {
                    reasons.add("regex: the answer does not match " + regex.pattern());
                }
            } catch (BoundedMatch.TooComplex e) {
                reasons.add("regex: gave up matching " + regex.pattern() + " after " + BoundedMatch.MAX_READS
                        + " steps; simplify the pattern (nested repetition backtracks without end)");
            }
        }
        JsonNode document = document(o.output(), answer);
        if (jsonSchema != null) {
            try {
                for (FieldError v : CatalogService.boundedSchemaViolations(jsonSchema, document, "$")) {
                    reasons.add("json_schema: " + v.path() + " " + v.message());
                }
            } catch (BoundedMatch.TooComplex e) {
                reasons.add("json_schema: gave up matching the pattern " + e.pattern() + " after " + BoundedMatch.MAX_READS
                        + " steps; simplify the pattern (nested repetition backtracks without end)");
            }
        }
        for (Equals e : equals) {
            JsonNode actual = at(document, e.path());
            if (actual == null || !actual.equals(e.value())) {
                reasons.add("equals: " + e.path() + " is " + (actual == null ? "missing" : actual.toString())
                        + ", expected " + e.value());
            }
        }
        if (maxCostMicros != null && o.costMicros() > maxCostMicros) {
            reasons.add("max_cost: the run cost " + Money.format(o.costMicros()) + " credits, more than "
                    + Money.format(maxCostMicros));
        }
        if (maxLatencyMs != null && o.latencyMs() > maxLatencyMs) {
            reasons.add("max_latency_ms: the run took " + o.latencyMs() + " ms, more than " + maxLatencyMs);
        }
        for (ToolCalled t : toolCalled) {
            boolean found = o.calls().stream().anyMatch(c -> c.name().equals(t.name()) && matches(c.arguments(), t.arguments()));
            if (t.called() && !found) {
                reasons.add("tool_called: no call of " + t.name() + (t.arguments().isEmpty() ? "" : " with the expected arguments")
                        + " (calls: " + o.calls().stream().map(Call::name).toList() + ")");
            } else if (!t.called() && found) {
                reasons.add("tool_called: " + t.name() + " was called, expected it not to be");
            }
        }
        if (!citationsInclude.isEmpty()) {
            List<String> cited = o.output() == null ? List.of() : o.output().path("citations").findValuesAsString("id");
            for (String id : citationsInclude) {
                if (!cited.contains(id)) {
                    reasons.add("citations_include: " + id + " is not cited (cited: " + cited + ")");
                }
            }
        }
        return reasons;
    }

    private static boolean matches(JsonNode args, Map<String, JsonNode> matchers) {
        for (var m : matchers.entrySet()) {
            JsonNode actual = args == null ? null : args.get(m.getKey());
            JsonNode want = m.getValue();
            if (actual == null) {
                return false;
            }
            String text = actual.isString() ? actual.asString() : actual.toString();
            if (want.isObject() && want.has("contains")) {
                if (!text.contains(want.get("contains").asString())) {
                    return false;
                }
            } else if (want.isObject() && want.has("regex")) {
                try {
                    if (!BoundedMatch.find(Pattern.compile(want.get("regex").asString()), text)) {
                        return false;
                    }
                } catch (BoundedMatch.TooComplex e) {
                    return false; // an argument the pattern cannot decide within the bound does not match
                }
            } else if (!actual.equals(want)) {
                return false;
            }
        }
        return true;
    }

    /** The text a run answered (see the class comment). */
    static String answer(JsonNode output) {
        if (output == null || output.isNull()) {
            return "";
        }
        if (output.isString()) {
            return output.asString();
        }
        for (String f : new String[] {"text", "reply", "answer", "content"}) {
            if (output.path(f).isString()) {
                return output.get(f).asString();
            }
        }
        return output.toString();
    }

    private static JsonNode document(JsonNode output, String answer) {
        String t = answer.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.readTree(t);
            } catch (JacksonException e) {
                // not JSON: the output is the document
            }
        }
        return output == null ? JSON.nullNode() : output;
    }

    /** The node at a simple JSON path ({@code $}, {@code $.a.b}, {@code $.a[0].b}), or {@code null}. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        Matcher m = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]").matcher(path.substring(1));
        int consumed = 0;
        while (m.find()) {
            if (m.start() != consumed || n == null) {
                return null;
            }
            consumed = m.end();
            n = m.group(1) != null ? n.get(m.group(1)) : n.get(Integer.parseInt(m.group(2)));
        }
        return consumed == path.length() - 1 ? n : null;
    }
}
