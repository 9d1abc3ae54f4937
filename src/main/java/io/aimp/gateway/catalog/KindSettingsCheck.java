package io.aimp.gateway.catalog;

import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Checks the kind-specific block of a catalog file (e.g. {@code workflow:}) when the catalog loads, for
 * kinds whose settings the catalog cannot judge itself. One bean per kind; a problem found stops
 * start-up with the file and the reason, like every other catalog problem.
 */
public interface KindSettingsCheck {

    Kind kind();

    /**
     * @param block   the kind block, or {@code null} when the file has none
     * @param modes   the model's contract (only the modes that parsed)
     * @param slug    the model's slug
     * @param problem receives each problem as (path inside the file, reason)
     */
    void check(JsonNode block, Map<String, Mode> modes, String slug, BiConsumer<String, String> problem);
}
