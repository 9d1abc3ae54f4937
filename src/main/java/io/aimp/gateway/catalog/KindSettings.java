package io.aimp.gateway.catalog;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One kind's catalog block (e.g. {@code chat:}): reads and checks it when the catalog loads and returns the typed
 * settings {@link PublishedModel#settings(Class)} hands to the kind's executor. One bean per kind, in the kind's
 * package next to its executor; the catalog refuses files of a kind no bean reads, and the run service refuses to
 * start when a kind has settings but no executor (or an executor but no settings). See docs/catalog.md, "Adding a
 * kind".
 *
 * @param <S> the kind's settings
 */
public interface KindSettings<S> {

    Kind kind();

    /**
     * @param block the block named after the kind, or {@code null} when the file has none
     * @param model the rest of the model, already read (its modes are only the ones that parsed)
     * @param in    reports problems as (path inside the file, reason) and reads the shared fields
     * @return the settings; only used when {@code in} received no problem
     */
    S read(JsonNode block, Model model, SettingsReader in);

    /**
     * The fields of the block a playground run may replace for itself (prompt templates, instructions ...), read
     * again by {@link #read} with the replaced values; none by default.
     */
    default Set<String> overridable() {
        return Set.of();
    }

    /**
     * What a kind block may depend on: the model's slug and contract, and the names of the configured providers (a
     * block that names a provider route of its own reads it with {@link SettingsReader#route}).
     */
    record Model(String slug, Map<String, Mode> modes, Set<String> providers) {

        public Model {
            providers = Set.copyOf(providers);
        }

        /** A model read where no provider is configured. */
        public Model(String slug, Map<String, Mode> modes) {
            this(slug, modes, Set.of());
        }
    }
}
