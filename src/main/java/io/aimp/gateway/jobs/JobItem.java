package io.aimp.gateway.jobs;

import tools.jackson.databind.JsonNode;

/** One item of a bulk job: its input and, once it ran, its run id and output or error. */
record JobItem(String jobId, int index, ItemStatus status, JsonNode input, String runId, JsonNode output,
               JsonNode error, int attempts, int retries, Long leaseUntil, long updatedAt) {

    /**
     * The item's idempotency key: {@code job:<job_id>:<index>}, with {@code :retry<n>} after the n-th resume,
     * so a crash replays the same attempt while a resume really runs the item again.
     */
    String idempotencyKey() {
        return "job:" + jobId + ":" + index + (retries == 0 ? "" : ":retry" + retries);
    }
}
