package io.aimp.gateway.assistants;

import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What of a tool call the execution log keeps: strings cut to {@value #MAX_CHARS} characters, values of
 * fields that name a secret replaced, and the query and fragment of URLs dropped (they often carry tokens).
 */
final class Redaction {

    static final int MAX_CHARS = 200;
    private static final Pattern SECRET = Pattern.compile("(?i).*(key|token|secret|password|passwd|authorization|cookie).*");

    private Redaction() {
    }

    static JsonNode arguments(String tool, JsonNode args) {
        JsonNode copy = redact(args);
        if ("http_get".equals(tool) && copy instanceof ObjectNode o && args.path("url").isString()) {
            String url = args.get("url").asString();
            int cut = url.length();
            for (char c : new char[] {'?', '#'}) {
                int i = url.indexOf(c);
                if (i >= 0) {
                    cut = Math.min(cut, i);
                }
            }
            o.put("url", truncate(url.substring(0, cut)));
        }
        return copy;
    }

    static JsonNode error(String content, ObjectMapper json) {
        try {
            JsonNode n = json.readTree(content);
            return JsonNodeFactory.instance.stringNode(truncate(n.path("error").asString("")));
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.stringNode(truncate(content));
        }
    }

    private static JsonNode redact(JsonNode n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n.isObject()) {
            ObjectNode o = f.objectNode();
            for (String name : n.propertyNames()) {
                o.set(name, SECRET.matcher(name).matches() ? f.stringNode("[redacted]") : redact(n.get(name)));
            }
            return o;
        }
        if (n.isArray()) {
            var a = f.arrayNode();
            n.forEach(x -> a.add(redact(x)));
            return a;
        }
        if (n.isString()) {
            return f.stringNode(truncate(n.asString()));
        }
        return n;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…";
    }
}
