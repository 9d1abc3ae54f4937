package io.aimp.gateway.webhooks;

import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunHook;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.runs.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Publishes {@code run.completed} when an asynchronous run ends, however it ends: succeeded, failed or
 * canceled while it executed, canceled while it was still queued, or failed by the lease sweep after the
 * process running it stopped. The event is written inside the transaction that records the end, so it
 * exists exactly when the end state does. Synchronous runs answer their caller directly and publish nothing.
 */
@Component
class RunCompletedEvents implements RunHook {

    private static final Logger log = LoggerFactory.getLogger(RunCompletedEvents.class);
    static final String TYPE = "run.completed";

    private final WebhookService webhooks;

    RunCompletedEvents(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord finished) {
        publish(finished);
    }

    @Override
    public void inCommitWithoutExecution(RunRecord ended) {
        publish(ended);
    }

    private void publish(RunRecord ended) {
        boolean async = ended.options() != null && ended.options().path("async").asBoolean(false);
        if (async && ended.status().terminal()) {
            try {
                webhooks.publish(ended.workspaceId(), TYPE, new RunService.RunOutcome(ended, null).view());
            } catch (JacksonException e) {
                // a run view that cannot be written loses its event, never the run's commit (a database
                // failure still rolls the commit back: the run's own rows would not be written either)
                log.warn("run {}: its run.completed event could not be written", ended.id(), e);
            }
        }
    }
}
