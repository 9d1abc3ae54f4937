package io.aimp.gateway.workflows;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.SettingsReader;
import io.aimp.gateway.common.Expr;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON built from earlier results. In a template document every string is one of: a path
 * ({@code "$.blocks.search.output.hits[0].text"}, several separated by {@code " | "} meaning the first
 * that is not null) whose JSON value is copied as is; a Mustache template ({@code "Hello {{input.name}}"})
 * rendered to a string; or a plain string. Numbers, booleans and nulls stay what they are.
 */
final class JsonTemplate {

    private static final Mustache.Compiler MUSTACHE = SettingsReader.TEMPLATES;
    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*[#^/&]?\\s*([A-Za-z_][A-Za-z0-9_.\\[\\]]*)\\s*}}");
    private static final Map<String, Template> COMPILED = new ConcurrentHashMap<>();

    private JsonTemplate() {
    }

    /** Checks every string of a template document; {@code problem} receives a reason per bad string. */
    static void check(JsonNode template, Consumer<String> problem, Consumer<String> references) {
        if (template.isObject() || template.isArray()) {
            for (JsonNode child : template) {
                check(child, problem, references);
            }
        } else if (template.isString()) {
            checkString(template.stringValue(), problem, references);
        }
    }

    static void checkString(String s, Consumer<String> problem, Consumer<String> references) {
        if (s.startsWith("$.")) {
            for (String alt : s.split("\\|")) {
                String path = alt.strip();
                if (!path.startsWith("$.")) {
                    problem.accept("'" + path + "' must be a path starting with $.");
                    continue;
                }
                try {
                    Expr e = Expr.parse(path.substring(2));
                    if (!e.isReference()) {
                        problem.accept("'" + path + "' is not a path (a path is names and [index] joined by dots)");
                    } else {
                        e.references(references);
                    }
                } catch (Expr.SyntaxError err) {
                    problem.accept("'" + path + "' is not a valid path: " + err.getMessage());
                }
            }
            return;
        }
        try {
            MUSTACHE.compile(s);
        } catch (RuntimeException e) {
            problem.accept("is not a valid Mustache template: " + e.getMessage());
            return;
        }
        Matcher m = TAG.matcher(s);
        while (m.find()) {
            references.accept(m.group(1));
        }
    }

    /** Builds the document; {@code scope} is the JSON view, {@code mustacheScope} the same as plain maps. */
    static JsonNode render(JsonNode template, JsonNode scope, Object mustacheScope) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (template.isObject()) {
            ObjectNode out = f.objectNode();
            for (Map.Entry<String, JsonNode> e : template.properties()) {
                out.set(e.getKey(), render(e.getValue(), scope, mustacheScope));
            }
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = f.arrayNode();
            for (JsonNode child : template) {
                out.add(render(child, scope, mustacheScope));
            }
            return out;
        }
        if (template.isString()) {
            String s = template.stringValue();
            if (s.startsWith("$.")) {
                for (String alt : s.split("\\|")) {
                    JsonNode v = Expr.parse(alt.strip().substring(2)).evaluate(scope);
                    if (!v.isNull()) {
                        return v;
                    }
                }
                return f.nullNode();
            }
            if (s.contains("{{")) {
                return f.stringNode(renderString(s, mustacheScope));
            }
        }
        return template;
    }

    static String renderString(String template, Object mustacheScope) {
        return COMPILED.computeIfAbsent(template, MUSTACHE::compile).execute(mustacheScope);
    }
}
