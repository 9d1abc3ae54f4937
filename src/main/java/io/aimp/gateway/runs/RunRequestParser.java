package io.aimp.gateway.runs;

import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the envelope of a run request and names the fix for every mistake clients are known to
 * make. Contract checks (modes, JSON Schemas) come later, once the model is known.
 */
final class RunRequestParser {

    static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Set<String> FIELDS = Set.of("model", "mode", "scope", "input", "params", "options");
    private static final Set<String> OPTIONS = Set.of("async", "timeout_ms", "persist", "release",
            RunOptions.DRY_RUN, RunOptions.AGAIN);
    private static final Set<String> VECTOR_ROUTING = Set.of("resources", "alias", "collection", "namespace");
    private static final Map<String, String> RENAMED = Map.of(
            "parameters", "params", "inputs", "input", "model_id", "model", "options.timeout", "timeout_ms");
    private static final int MAX_DEPTH_SCANNED = 64;

    private RunRequestParser() {
    }

    static RunRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid("invalid_body", "the request body must be a JSON object");
        }
        checkFields(body);
        String model = text(body, "model", true);
        if (model.isBlank() || model.length() > 100) {
            throw GatewayException.invalidField("invalid_model", "$.model", "model must be a published model slug or id");
        }
        String mode = body.has("mode") && !body.get("mode").isNull() ? text(body, "mode", false) : "execute";
        // any other name, well-formed or not, is answered with the model's modes once the model is known
        String scope = null;
        if (body.has("scope") && !body.get("scope").isNull()) {
            scope = text(body, "scope", false);
            checkScope(scope);
        }
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw GatewayException.invalidField("missing_input", "$.input", "input is required: a JSON object shaped by the model's contract");
        }
        if (!input.isObject()) {
            throw GatewayException.invalidField("input_not_object", "$.input", "input must be a JSON object");
        }
        JsonNode params = body.get("params");
        if (params == null || params.isNull()) {
            params = JsonNodeFactory.instance.objectNode();
        } else if (!params.isObject()) {
            throw GatewayException.invalidField("params_not_object", "$.params", "params must be a JSON object, even when empty ({})");
        }
        refuseVectorRouting(params, "$.params.");
        JsonNode options = body.get("options");
        if (options != null && options.isObject()) {
            refuseVectorRouting(options, "$.options.");
        }
        RunOptions.Parsed opts = RunOptions.parse(options, OPTIONS, "allowed options: async, timeout_ms, persist, release, dry_run, again");
        checkValues(input, Where.root("$.input"), 0);
        checkValues(params, Where.root("$.params"), 0);
        return new RunRequest(model, mode, scope, (ObjectNode) input, (ObjectNode) params, opts.async(), opts.timeoutMs(),
                opts.persist(), options instanceof ObjectNode o ? o : null, body, opts.release(),
                opts.dryRun(), opts.again());
    }

    /** No hardware tier anywhere, no vector routing and no unknown field at the top level. */
    private static void checkFields(JsonNode body) {
        Where hardwareAt = findKey(body, "hardware_tier", Where.root("$"), 0);
        String hardware = hardwareAt == null ? null : hardwareAt.path();
        if (hardware != null) {
            throw GatewayException.invalidField("hardware_tier_not_allowed", hardware,
                    "do not send hardware_tier: hardware is resolved from the published model release");
        }
        for (String name : body.propertyNames()) {
            if (VECTOR_ROUTING.contains(name)) {
                throw vectorRouting("$." + name);
            }
            if (!FIELDS.contains(name)) {
                String renamed = RENAMED.get(name);
                if (renamed != null) {
                    throw GatewayException.invalidField("use_" + renamed, "$." + name,
                            "unknown field " + name + ": use " + renamed + ", not " + name);
                }
                throw GatewayException.invalidField("unknown_field", "$." + Printable.of(name),
                        "unknown field " + Printable.of(name) + "; allowed fields: model, mode, scope, input, params, options");
            }
        }
    }

    private static void refuseVectorRouting(JsonNode object, String path) {
        for (String name : object.propertyNames()) {
            if (VECTOR_ROUTING.contains(name)) {
                throw vectorRouting(path + name);
            }
        }
    }

    static void checkScope(String scope) {
        if (!SCOPE.matcher(scope).matches()) {
            throw GatewayException.invalidField("invalid_scope", "$.scope",
                    "scope must start with a letter or digit, contain only letters, digits, '.', '_' and '-', "
                            + "and have at most 64 characters");
        }
    }

    private static GatewayException vectorRouting(String path) {
        return GatewayException.invalidField("vector_routing_not_allowed", path,
                "vector routing is managed by the platform: do not send resources, alias, collection or namespace; "
                        + "use scope to choose the vector namespace");
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw GatewayException.invalidField("missing_" + field, "$." + field, field + " is required");
            }
            return null;
        }
        if (!v.isString()) {
            throw GatewayException.invalidField("invalid_" + field, "$." + field, field + " must be a string");
        }
        return v.asString();
    }

    /**
     * Where a value sits in the request; rendered as a JSON path only when a problem names it, so a
     * valid request pays no string work for paths.
     */
    private record Where(Where parent, String key, int index) {
        static Where root(String path) {
            return new Where(null, path, -1);
        }

        Where child(String name) {
            return new Where(this, name, -1);
        }

        Where item(int i) {
            return new Where(this, null, i);
        }

        String path() {
            if (parent == null) {
                return key;
            }
            return parent.path() + (key != null ? "." + Printable.of(key) : "[" + index + "]");
        }
    }

    /** Finds a key anywhere in the document (bounded depth); returns where it is, or null. */
    private static Where findKey(JsonNode node, String key, Where where, int depth) {
        if (depth > MAX_DEPTH_SCANNED) {
            return null;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Where child = where.child(e.getKey());
                if (e.getKey().equals(key)) {
                    return child;
                }
                Where found = findKey(e.getValue(), key, child, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode item : node) {
                Where found = findKey(item, key, where.item(i++), depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Refuses NUL characters (no database stores them) and numbers too large for a double, and writes a
     * whole number sent with a fraction or exponent ({@code 1.0}, {@code 1e3}) as the integer it is: a
     * number has one meaning for the schema check (an {@code integer} field accepts it), the executor, the
     * provider and idempotency alike.
     */
    private static void checkValues(JsonNode node, Where where, int depth) {
        if (depth > MAX_DEPTH_SCANNED) {
            throw GatewayException.invalidField("too_deep", where.path(), "the document is nested more than " + MAX_DEPTH_SCANNED + " levels");
        }
        if (node.isString() && node.asString().indexOf('\u0000') >= 0) {
            throw GatewayException.invalidField("invalid_character", where.path(), "strings may not contain NUL characters");
        } else if (node.isNumber() && (node.isFloatingPointNumber() || node.isBigInteger())
                && !Double.isFinite(node.asDouble())) {
            throw GatewayException.invalidField("number_out_of_range", where.path(), "the number is out of range");
        } else if (node instanceof ObjectNode object) {
            List<String> whole = null;
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getKey().indexOf('\u0000') >= 0) {
                    throw GatewayException.invalidField("invalid_character", where.path(), "keys may not contain NUL characters");
                }
                checkValues(e.getValue(), where.child(e.getKey()), depth + 1);
                if (wholeFloat(e.getValue())) {
                    (whole == null ? whole = new ArrayList<>() : whole).add(e.getKey());
                }
            }
            if (whole != null) {
                whole.forEach(k -> object.put(k, RunOptions.integral(object.get(k))));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                checkValues(array.get(i), where.item(i), depth + 1);
                if (wholeFloat(array.get(i))) {
                    array.set(i, JsonNodeFactory.instance.numberNode(RunOptions.integral(array.get(i))));
                }
            }
        }
    }

    private static boolean wholeFloat(JsonNode n) {
        return n.isFloatingPointNumber() && RunOptions.integral(n) != null;
    }
}
