package io.aimp.gateway.vectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A search result, for index searches and for retrieval by chatbots, assistants and workflows: the item,
 * its cosine similarity to the query (−1 to 1), what was indexed ({@code {"text": ...}} for a text,
 * {@code {"media_ref": ..., "filename": ...}} for an image) and its metadata (an empty object when none).
 */
public record SearchHit(String id, double score, ObjectNode content, ObjectNode metadata) {

    /** A hit from the stored JSON texts of an item's content and metadata ({@code null} or unreadable: empty). */
    static SearchHit of(String id, double score, String content, String metadata) {
        return new SearchHit(id, score, object(content), object(metadata));
    }

    /** The indexed text, or {@code null} for an image item. */
    public String text() {
        JsonNode text = content.get("text");
        return text != null && text.isString() ? text.asString() : null;
    }

    /** Where the item came from: its metadata's {@code source}, else its id. */
    public String source() {
        JsonNode source = metadata.get("source");
        return source != null && source.isValueNode() && !source.isNull() ? source.asString() : id;
    }

    private static ObjectNode object(String json) {
        if (json != null) {
            try {
                if (JsonMapper.shared().readTree(json) instanceof ObjectNode o) {
                    return o;
                }
            } catch (JacksonException e) {
                // stored by this gateway as an object; anything else reads as empty
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }
}
