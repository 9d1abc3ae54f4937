package io.aimp.gateway.catalog;

import io.aimp.gateway.auth.Principal;
import java.util.Map;

/**
 * The last evaluation of a model's releases that the marketplace detail shows ({@code releases[].last_evaluation}),
 * reported by the feature that runs evaluations (the playground) without the catalog knowing its report.
 */
public interface ReleaseEvaluations {

    /** By release version, the caller's workspace's last result of {@code model}'s suite; versions never run are absent. */
    Map<String, Object> lastByRelease(Principal caller, PublishedModel model);
}
