package io.aimp.gateway.jobs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import tools.jackson.databind.JsonNode;

/**
 * Background work of another feature that runs as a one-item bulk job (its caps, leases, cancel and resume), instead
 * of a model run: the feature queues it with {@link JobService#submit} and reads its state with
 * {@link JobService#work}. The job's mode is {@link #mode()}; the runner claims the item like any other, re-reads the
 * submitter as it does for runs and hands the item's input to {@link #execute}.
 */
public interface JobWork {

    /** The job mode that names this work, e.g. {@code playground.evaluation}; never a mode of a catalog model. */
    String mode();

    /**
     * Does the work as {@code submitter} is now; what it answers is the item's output.
     *
     * @throws GatewayException what stops the work: the item fails with it (a 429 is retried later, as for runs)
     */
    JsonNode execute(Principal submitter, JsonNode input, String requestId);
}
