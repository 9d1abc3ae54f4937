package io.aimp.gateway.playground;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads the bodies of the playground routes; every problem is reported with its JSON path, all at once. */
final class PlaygroundRequests {

    static final int MIN_TARGETS = 2;
    static final int MAX_TARGETS = 8;
    private static final Set<String> TARGET_FIELDS = Set.of("model", "mode", "release", "params", "overrides");

    private final List<FieldError> errors = new ArrayList<>();

    /** A comparison: one input, its optional scope and timeout, and 2 to 8 targets. */
    record Compare(ObjectNode input, String scope, Long timeoutMs, List<Target> targets) {
    }

    static Compare compare(JsonNode body) {
        PlaygroundRequests in = new PlaygroundRequests();
        ObjectNode root = in.root(body, Set.of("input", "scope", "targets", "options"));
        ObjectNode input = in.object(root, "input", "$", true);
        String scope = in.string(root, "scope", "$", false);
        Long timeout = in.timeout(root, false);
        List<Target> targets = in.targets(root.get("targets"), "$.targets", MIN_TARGETS, MAX_TARGETS);
        in.done("invalid_comparison", "the comparison request");
        return new Compare(input, scope, timeout, targets);
    }

    static final int MAX_CASES = 100;
    static final int MAX_EVALUATED_RUNS = 200;

    /** One case of a suite: its input, params merged over each target's, and what its answer must meet. */
    record Case(String name, ObjectNode input, ObjectNode params, Expectations expect, String path) {
    }

    /** An evaluation: cases against 1 to 8 targets, with the suite's judge model for {@code judge} expectations. */
    record Evaluation(List<Target> targets, List<Case> cases, String judgeModel, String scope, Long timeoutMs) {
    }

    static Evaluation evaluation(JsonNode body) {
        PlaygroundRequests in = new PlaygroundRequests();
        ObjectNode root = in.root(body, Set.of("targets", "cases", "judge", "scope", "options"));
        String scope = in.string(root, "scope", "$", false);
        Long timeout = in.timeout(root, true);
        List<Target> targets = in.targets(root.get("targets"), "$.targets", 1, MAX_TARGETS);
        String judge = null;
        ObjectNode judgeNode = in.object(root, "judge", "$", false);
        if (judgeNode != null) {
            in.unknown(judgeNode, "$.judge", Set.of("model"));
            judge = in.string(judgeNode, "model", "$.judge", true);
        }
        List<Case> cases = in.cases(root.get("cases"), "$.cases", judge != null);
        if (!targets.isEmpty() && cases.size() * targets.size() > MAX_EVALUATED_RUNS) {
            in.add("$.cases", "cases x targets is " + cases.size() * targets.size() + "; at most "
                    + MAX_EVALUATED_RUNS + " runs per evaluation");
        }
        in.done("invalid_evaluation", "the evaluation request");
        return new Evaluation(targets, cases, judge, scope, timeout);
    }

    List<Case> cases(JsonNode node, String path, boolean suiteJudge) {
        List<Case> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_CASES) {
            errors.add(new FieldError(path, "must be a list of 1 to " + MAX_CASES + " cases {name?, input, params?, expect}"));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                errors.add(new FieldError(at, "must be an object {name?, input, params?, expect}"));
                continue;
            }
            unknown(c, at, Set.of("name", "input", "params", "expect"));
            String name = string(c, "name", at, false);
            ObjectNode input = object(c, "input", at, true);
            ObjectNode params = object(c, "params", at, false);
            Expectations expect = Expectations.read(c.get("expect"), at + ".expect", errors);
            if (expect != null && expect.judge() != null && expect.judge().model() == null && !suiteJudge) {
                errors.add(new FieldError(at + ".expect.judge", "names no model and the suite has no judge: send "
                        + "judge: {model} with the suite or {rubric, model} here"));
            }
            out.add(new Case(name == null ? "case " + (i + 1) : name, input, params, expect, at));
        }
        return out;
    }

    ObjectNode root(JsonNode body, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalidField("invalid_body", "$", "the body must be a JSON object");
        }
        unknown(body, "$", fields);
        return (ObjectNode) body;
    }

    void unknown(JsonNode node, String path, Set<String> fields) {
        for (String name : node.propertyNames()) {
            if (!fields.contains(name)) {
                errors.add(new FieldError(path + "." + Printable.of(name),
                        "unknown field; allowed fields: " + String.join(", ", new TreeSet<>(fields))));
            }
        }
    }

    ObjectNode object(JsonNode parent, String field, String path, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(new FieldError(path + "." + field, "is required (an object)"));
            }
            return null;
        }
        if (!n.isObject()) {
            errors.add(new FieldError(path + "." + field, "must be an object"));
            return null;
        }
        return (ObjectNode) n;
    }

    String string(JsonNode parent, String field, String path, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(new FieldError(path + "." + field, "is required (a string)"));
            }
            return null;
        }
        if (!n.isString() || n.asString().isBlank()) {
            errors.add(new FieldError(path + "." + field, "must be a non-empty string"));
            return null;
        }
        return n.asString();
    }

    /** Whether an evaluation asks to run in the background ({@code options.async: true}); malformed, it does not. */
    static boolean async(JsonNode body) {
        return body != null && body.path("options").path("async").isBoolean() && body.path("options").path("async").asBoolean();
    }

    /**
     * {@code options.timeout_ms}: every run of the request ends by it. An evaluation also takes {@code options.async}
     * (a boolean; {@link #async} reads it).
     */
    Long timeout(ObjectNode root, boolean evaluation) {
        ObjectNode options = object(root, "options", "$", false);
        if (options == null) {
            return null;
        }
        unknown(options, "$.options", evaluation ? Set.of("timeout_ms", "async") : Set.of("timeout_ms"));
        JsonNode async = options.get("async");
        if (evaluation && async != null && !async.isBoolean()) {
            errors.add(new FieldError("$.options.async", "must be true or false"));
        }
        JsonNode t = options.get("timeout_ms");
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isIntegralNumber() || t.asLong() < 1 || t.asLong() > 600_000) {
            errors.add(new FieldError("$.options.timeout_ms", "must be whole milliseconds between 1 and 600000"));
            return null;
        }
        return t.asLong();
    }

    List<Target> targets(JsonNode node, String path, int min, int max) {
        List<Target> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.size() < min || node.size() > max) {
            errors.add(new FieldError(path, "must be a list of " + min + " to " + max
                    + " targets {model, mode, release, params, overrides}"));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode t = node.get(i);
            if (!t.isObject()) {
                errors.add(new FieldError(at, "must be an object {model, mode, release, params, overrides}"));
                continue;
            }
            unknown(t, at, TARGET_FIELDS);
            String model = string(t, "model", at, true);
            String mode = string(t, "mode", at, false);
            String release = string(t, "release", at, false);
            ObjectNode params = object(t, "params", at, false);
            JsonNode overrides = t.get("overrides");
            if (overrides != null && !overrides.isNull() && !overrides.isObject()) {
                errors.add(new FieldError(at + ".overrides", "must be an object of the model's settings to replace"));
            }
            out.add(new Target(model, mode, release, params, overrides == null || overrides.isNull() ? null : overrides, at));
        }
        return out;
    }

    void add(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    /** Refuses the request with every problem found, if any. */
    void done(String code, String what) {
        if (!errors.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, code,
                    what + " is not valid (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + ")")
                    .errors(errors).build();
        }
    }
}
