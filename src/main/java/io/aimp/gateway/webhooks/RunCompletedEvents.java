package io.aimp.gateway.webhooks;

import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunHook;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.runs.RunService;
import org.springframework.stereotype.Component;

/**
 * Publishes {@code run.completed} when an asynchronous run ends (succeeded, failed or canceled while it
 * executed), inside the transaction that records its end: the event exists exactly when the end state
 * does. Synchronous runs answer their caller directly and publish nothing.
 */
@Component
class RunCompletedEvents implements RunHook {

    static final String TYPE = "run.completed";

    private final WebhookService webhooks;

    RunCompletedEvents(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord finished) {
        boolean async = finished.options() != null && finished.options().path("async").asBoolean(false);
        if (async && finished.status().terminal()) {
            webhooks.publish(finished.workspaceId(), TYPE, new RunService.RunOutcome(finished, null).view());
        }
    }
}
