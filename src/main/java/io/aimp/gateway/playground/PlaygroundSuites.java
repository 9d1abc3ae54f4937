package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.jobs.JobWork;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Async evaluation suites on the bulk job machinery: the suite's request is the one item of a job of mode
 * {@value PlaygroundService#SUITE_MODE}; when the runner claims it, the suite runs as its submitter is now (re-read by
 * the runner, then checked again against the workspace's playground role) and its report is the item's output.
 */
@Component
class PlaygroundSuites implements JobWork {

    private final PlaygroundService playground;
    private final ObjectMapper json;

    PlaygroundSuites(PlaygroundService playground, ObjectMapper json) {
        this.playground = playground;
        this.json = json;
    }

    @Override
    public String mode() {
        return PlaygroundService.SUITE_MODE;
    }

    @Override
    public JsonNode execute(Principal submitter, JsonNode input, String requestId) {
        playground.requireAccess(submitter);
        return json.valueToTree(playground.suite(submitter, input, requestId));
    }
}
