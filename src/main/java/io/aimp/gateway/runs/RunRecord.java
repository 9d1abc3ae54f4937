package io.aimp.gateway.runs;

import tools.jackson.databind.JsonNode;

/** A run as stored: what was asked, by whom, what happened and what it cost. */
public record RunRecord(String id, String workspaceId, String modelId, String modelSlug, String releaseVersion,
                        String mode, String kind, String scope, RunStatus status, JsonNode input, JsonNode params,
                        JsonNode options, JsonNode output, JsonNode error, long inputTokens, long outputTokens,
                        long units, boolean usageEstimated, long costMicros, String provider, String providerModel,
                        String principalType, String userId, String keyId, String keyPrefix, String requestId,
                        String entryPoint, String parentRunId, Long leaseUntil, long createdAt, Long startedAt,
                        Long completedAt) {

    /** Whether the caller let the input be kept ({@code options.persist}, true unless sent as false). */
    public boolean persisted() {
        JsonNode persist = options == null ? null : options.get("persist");
        return persist == null || !persist.isBoolean() || persist.asBoolean();
    }

    /**
     * The record as it may be stored once the run has ended: without its input and params when the
     * caller sent {@code persist: false}, whatever the end state (a queued run keeps them only until it
     * executes, because it needs them to execute).
     */
    public RunRecord forStorage() {
        if (persisted() || (input == null && params == null) || status == RunStatus.QUEUED || status == RunStatus.RUNNING) {
            return this;
        }
        return new RunRecord(id, workspaceId, modelId, modelSlug, releaseVersion, mode, kind, scope, status, null, null,
                options, output, error, inputTokens, outputTokens, units, usageEstimated, costMicros, provider,
                providerModel, principalType, userId, keyId, keyPrefix, requestId, entryPoint, parentRunId, leaseUntil,
                createdAt, startedAt, completedAt);
    }

    public Long durationMs() {
        if (completedAt == null) {
            return null;
        }
        return completedAt - (startedAt != null ? startedAt : createdAt);
    }
}
