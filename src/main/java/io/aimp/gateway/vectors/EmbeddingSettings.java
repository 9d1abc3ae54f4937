package io.aimp.gateway.vectors;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code embedding:} block of a model, read when the catalog loads.
 *
 * @param collection the collection every index and search of the model uses; never chosen by clients
 * @param images     whether items are images ({@code input: image}) rather than texts
 * @param dimensions the vector size the embedder must produce, or {@code null} to accept what it gives
 */
public record EmbeddingSettings(String collection, boolean images, Integer dimensions) {

    static final Pattern COLLECTION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final int MAX_DIMENSIONS = 8192;
    static final Set<String> MODES = SettingsReader.fields("embed", "index", "search", "delete");
    static final Set<String> INPUTS = SettingsReader.fields("text", "image");
    private static final Set<String> FIELDS = SettingsReader.fields("collection", "input", "dimensions");

    static EmbeddingSettings of(PublishedModel model) {
        return model.settings(EmbeddingSettings.class);
    }

    /**
     * Reads {@code embedding: {collection, input, dimensions}}. The collection is part of the model, never of a
     * request; modes are the operations the embedding executor knows, and the ones that touch the index must be
     * vector-enabled so every call names its scope.
     */
    @Component
    public static final class Reader implements KindSettings<EmbeddingSettings> {

        @Override
        public Kind kind() {
            return Kind.EMBEDDING;
        }

        @Override
        public EmbeddingSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("embedding", "is required for an embedding model: give at least collection (e.g. docs)");
                return null;
            }
            in.unknownFields(block, "embedding", FIELDS);
            String collection = in.string(block, "collection", "embedding", true);
            if (collection != null && !COLLECTION.matcher(collection).matches()) {
                in.problem("embedding.collection", "'" + collection + "' must match " + COLLECTION.pattern());
            }
            String input = in.string(block, "input", "embedding", false);
            if (input != null && !INPUTS.contains(input)) {
                in.problem("embedding.input", "'" + input + "' must be one of " + String.join(", ", INPUTS));
            }
            JsonNode d = block.get("dimensions");
            if (d != null && !d.isNull() && (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 1
                    || d.intValue() > MAX_DIMENSIONS)) {
                in.problem("embedding.dimensions", "'" + d.asString() + "' must be a whole number from 1 to " + MAX_DIMENSIONS);
            }
            modes(model.modes(), in);
            return new EmbeddingSettings(collection, "image".equals(input),
                    d != null && d.isIntegralNumber() ? d.intValue() : null);
        }

        private static void modes(Map<String, io.aimp.gateway.catalog.Mode> modes, SettingsReader in) {
            for (var mode : modes.values()) {
                if (!MODES.contains(mode.name())) {
                    in.problem("modes." + mode.name(), "is not an embedding operation; an embedding model's modes are "
                            + String.join(", ", MODES));
                } else if (!"embed".equals(mode.name()) && !mode.vector()) {
                    in.problem("modes." + mode.name() + ".vector", "must be true: " + mode.name()
                            + " reads or writes the vector index, so callers must send scope");
                }
            }
        }
    }
}
