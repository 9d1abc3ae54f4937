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
 * @param kindConfig the block named after the kind (e.g. {@code text:}), or {@code null}
 * @param source     where the model was loaded from, for messages
 */
public record PublishedModel(String id, String slug, String name, String description, Kind kind,
                             Visibility visibility, Set<String> workspaces, Map<String, Mode> modes,
                             List<Release> releases, Release current, JsonNode kindConfig, String source) {

    public PublishedModel {
        workspaces = Set.copyOf(workspaces);
        modes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modes));
        releases = List.copyOf(releases);
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
