package io.aimp.gateway.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A published model as loaded from one catalog file.
 *
 * @param workspaces the workspaces a private model is visible to (empty for a public model)
 * @param modes      the contract, in file order
 * @param releases   every release, in file order (newest first by convention)
 * @param current    the release runs use unless they name another
 * @param settings   what the kind's {@link KindSettings} read from its block (e.g. {@code text:}); see
 *                   {@link #settings(Class)}
 * @param source     where the model was loaded from, for messages
 * @param block      the kind block as the file wrote it (or {@code null}), re-read with a caller's overrides for one
 *                   playground run ({@link CatalogService#withOverrides})
 * @param tests      the model's evaluation suite ({@code tests: {cases, judge?}}) as the file wrote it, or {@code null};
 *                   the playground runs it against a release
 */
public record PublishedModel(String id, String slug, String name, String description, Kind kind,
                             Visibility visibility, Set<String> workspaces, Map<String, Mode> modes,
                             List<Release> releases, Release current, Object settings, String source,
                             JsonNode block, JsonNode tests) {

    public PublishedModel(String id, String slug, String name, String description, Kind kind, Visibility visibility,
                          Set<String> workspaces, Map<String, Mode> modes, List<Release> releases, Release current,
                          Object settings, String source) {
        this(id, slug, name, description, kind, visibility, workspaces, modes, releases, current, settings, source, null,
                null);
    }

    /** This model with other kind settings (the same model with a caller's overrides, for one run). */
    PublishedModel withSettings(Object otherSettings) {
        return new PublishedModel(id, slug, name, description, kind, visibility, workspaces, modes, releases, current,
                otherSettings, source, block, tests);
    }

    public PublishedModel {
        workspaces = Set.copyOf(workspaces);
        modes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modes));
        releases = List.copyOf(releases);
    }

    /**
     * The kind's settings, as its executor knows them.
     *
     * @throws IllegalStateException when the model's settings are of another type (a model of another kind)
     */
    public <S> S settings(Class<S> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalStateException(slug + " (kind " + kind + ") has no " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    public Optional<Mode> mode(String name) {
        return Optional.ofNullable(modes.get(name));
    }

    public Optional<Release> release(String version) {
        return releases.stream().filter(r -> r.version().equals(version)).findFirst();
    }

    public boolean visibleTo(String workspaceId) {
        return visibility == Visibility.PUBLIC || workspaces.contains(workspaceId);
    }
}
