package io.aimp.gateway.catalog;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of a catalog file the same way everywhere (the model's own fields and every kind's block):
 * each problem goes to the sink as (path inside the file, reason) and reading goes on, so one load reports every
 * problem of a file. A path is dotted, e.g. {@code chat.memory}; a field's path is the node's path plus its name.
 */
public final class SettingsReader {

    /** How model templates are compiled: plain text (no HTML escaping), a missing name renders as nothing. */
    public static final Mustache.Compiler TEMPLATES = Mustache.compiler().escapeHTML(false).defaultValue("");
    static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    /** The longest a route's {@code timeout_ms} may be. */
    static final long MAX_TIMEOUT_MS = 600_000;
    private static final Set<String> ROUTE_FIELDS = fields("provider", "model", "timeout_ms");
    private static final Set<String> KNOWLEDGE_BASE_FIELDS = fields("model", "collection", "scope", "top_k", "min_score");

    private final BiConsumer<String, String> sink;
    private int problems;

    public SettingsReader(BiConsumer<String, String> sink) {
        this.sink = sink;
    }

    /** An ordered set of field names, for {@link #unknownFields}. */
    public static Set<String> fields(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    public static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public void problem(String path, String reason) {
        problems++;
        sink.accept(path, reason);
    }

    /** How many problems were reported so far; compare before and after reading a part. */
    public int problems() {
        return problems;
    }

    /** A string field, or {@code null} when absent or wrong; a required one must be present and not blank. */
    public String string(JsonNode node, String field, String path, boolean required) {
        JsonNode n = node.get(field);
        String at = at(path, field);
        if (n == null || n.isNull()) {
            if (required) {
                problem(at, "is required");
            }
            return null;
        }
        if (!n.isString()) {
            problem(at, "must be a string");
            return null;
        }
        if (required && n.stringValue().isBlank()) {
            problem(at, "must not be empty");
            return null;
        }
        return n.stringValue();
    }

    /** A whole number of at least 1, or {@code null} when absent or wrong. */
    public Integer positive(JsonNode node, String field, String path) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
            problem(at(path, field), "'" + n.asString() + "' must be a whole number of at least 1");
            return null;
        }
        return n.intValue();
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent or wrong. */
    public int whole(JsonNode node, String field, String path, int min, int max, int fallback) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            problem(at(path, field), "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return n.intValue();
    }

    /** A Mustache template field, compiled as {@link #TEMPLATES}; {@code null} when absent or wrong. */
    public Template template(JsonNode node, String field, String path, boolean required) {
        String text = string(node, field, path, required);
        if (text == null) {
            return null;
        }
        try {
            return TEMPLATES.compile(text);
        } catch (RuntimeException e) {
            problem(at(path, field), "is not a valid Mustache template: " + e.getMessage());
            return null;
        }
    }

    /** Whether {@code node} is a mapping; reports {@code must be a mapping <what>} when it is not. */
    public boolean mapping(JsonNode node, String path, String what) {
        if (node.isObject()) {
            return true;
        }
        problem(path, "must be a mapping " + what);
        return false;
    }

    public void unknownFields(JsonNode node, String path, Collection<String> allowed) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                problem(at(path, name), "is not a known field (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /**
     * A provider route ({@code provider, model, timeout_ms}) at {@code at}: the provider must be one of
     * {@code providers} (the configured ones), the timeout 1 ms to {@value #MAX_TIMEOUT_MS} ms (default
     * {@link RouteSpec#DEFAULT_TIMEOUT}). Release routes and a kind block's own routes are read here alike.
     */
    public RouteSpec route(JsonNode r, String at, Set<String> providers) {
        unknownFields(r, at, ROUTE_FIELDS);
        String provider = string(r, "provider", at, true);
        if (provider != null && !providers.contains(provider)) {
            problem(at + ".provider", "'" + provider + "' is not configured (configure aimp.providers."
                    + provider + "; configured: " + String.join(", ", new TreeSet<>(providers)) + ")");
        }
        String model = string(r, "model", at, true);
        Duration timeout = RouteSpec.DEFAULT_TIMEOUT;
        JsonNode t = r.get("timeout_ms");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || !t.canConvertToLong() || t.longValue() < 1 || t.longValue() > MAX_TIMEOUT_MS) {
                problem(at + ".timeout_ms", "'" + t.asString() + "' must be a whole number of milliseconds from 1 to "
                        + MAX_TIMEOUT_MS);
            } else {
                timeout = Duration.ofMillis(t.longValue());
            }
        }
        return new RouteSpec(provider, model, timeout);
    }

    /** The {@code top_k} of a knowledge-base search: {@value KnowledgeBase#DEFAULT_TOP_K} when absent. */
    public int topK(JsonNode node, String path) {
        return whole(node, "top_k", path, KnowledgeBase.MIN_TOP_K, KnowledgeBase.MAX_TOP_K, KnowledgeBase.DEFAULT_TOP_K);
    }

    /** A knowledge base ({@code model, collection, scope, top_k, min_score}), or {@code null} when it has problems. */
    public KnowledgeBase knowledgeBase(JsonNode node, String path) {
        if (!mapping(node, path, "with model, scope, top_k and min_score")) {
            return null;
        }
        int before = problems;
        unknownFields(node, path, KNOWLEDGE_BASE_FIELDS);
        String model = string(node, "model", path, true);
        String collection = string(node, "collection", path, false);
        String scope = string(node, "scope", path, true);
        if (scope != null && !SCOPE.matcher(scope).matches()) {
            problem(at(path, "scope"), "must match " + SCOPE.pattern());
        }
        int topK = topK(node, path);
        double minScore = KnowledgeBase.DEFAULT_MIN_SCORE;
        JsonNode min = node.get("min_score");
        if (min != null && (!min.isNumber() || min.asDouble() < -1 || min.asDouble() > 1)) {
            problem(at(path, "min_score"), "must be a number from -1 to 1");
        } else if (min != null) {
            minScore = min.asDouble();
        }
        return problems == before ? new KnowledgeBase(model, collection, scope, topK, minScore) : null;
    }
}
