package io.aimp.gateway.vectors;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metadata filters match exactly on top-level scalar values. Both sides are reduced to the same
 * terms: {@code s:} + the string, {@code n:} + the number in plain notation without trailing zeros
 * (so 2, 2.0 and 2e0 match), {@code b:true} / {@code b:false}. Arrays, objects and nulls are not
 * filterable.
 */
final class MetadataTerms {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MetadataTerms() {
    }

    /** The filterable terms of a stored metadata JSON object (empty for {@code null}). */
    static Map<String, String> of(String metadataJson) {
        if (metadataJson == null) {
            return Map.of();
        }
        try {
            return of(JSON.readTree(metadataJson));
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    static Map<String, String> of(JsonNode metadata) {
        Map<String, String> terms = new LinkedHashMap<>();
        if (metadata != null && metadata.isObject()) {
            for (Map.Entry<String, JsonNode> e : metadata.properties()) {
                String t = term(e.getValue());
                if (t != null) {
                    terms.put(e.getKey(), t);
                }
            }
        }
        return terms;
    }

    static String term(JsonNode v) {
        if (v == null) {
            return null;
        } else if (v.isString()) {
            return "s:" + v.stringValue();
        } else if (v.isNumber()) {
            return "n:" + v.decimalValue().stripTrailingZeros().toPlainString();
        } else if (v.isBoolean()) {
            return "b:" + v.booleanValue();
        }
        return null;
    }

    /** Whether every filter term is among the item's terms. */
    static boolean matches(Map<String, String> itemTerms, Map<String, String> filter) {
        for (Map.Entry<String, String> f : filter.entrySet()) {
            if (!f.getValue().equals(itemTerms.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
