package io.aimp.gateway.forms;

import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One field of a form.
 *
 * @param min       number and range: the smallest number; date, time and datetime: the earliest value; checkbox
 *                  with options: the fewest options to tick; {@code null} when unbounded
 * @param max       the same, the other way round
 * @param minLength text, textarea, email and url: the fewest characters (code points)
 * @param maxLength the most characters
 * @param pattern   text and textarea: a regular expression the whole value must match, or {@code null}
 * @param options   select, radio and checkbox: value → label, in display order; empty otherwise
 * @param fallback  the {@code default} used when the caller sends no value, or {@code null}
 * @param message   the message shown for any invalid value, or {@code null} for the gateway's own
 */
public record FormField(String id, String label, FieldType type, boolean required, JsonNode min, JsonNode max,
                        int minLength, int maxLength, Pattern pattern, Map<String, String> options, JsonNode fallback,
                        String placeholder, String help, String message) {

    public FormField {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    FormField withDefault(JsonNode value) {
        return new FormField(id, label, type, required, min, max, minLength, maxLength, pattern, options, value,
                placeholder, help, message);
    }
}
