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

    public Long durationMs() {
        if (completedAt == null) {
            return null;
        }
        return completedAt - (startedAt != null ? startedAt : createdAt);
    }
}
