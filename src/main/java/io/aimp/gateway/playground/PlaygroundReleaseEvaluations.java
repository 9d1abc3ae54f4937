package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.ReleaseEvaluations;
import java.util.Map;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** The marketplace detail's {@code releases[].last_evaluation}: the caller's workspace's last catalog suite runs. */
@Component
class PlaygroundReleaseEvaluations implements ReleaseEvaluations {

    private final PlaygroundService playground;

    PlaygroundReleaseEvaluations(@Lazy PlaygroundService playground) {
        this.playground = playground;
    }

    @Override
    public Map<String, Object> lastByRelease(Principal caller, PublishedModel model) {
        return playground.lastByRelease(caller, model);
    }
}
