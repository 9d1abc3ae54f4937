package io.aimp.gateway.logs;

/**
 * One row of the usage log: every run (succeeded, failed, canceled) and every request refused by a
 * limit or the wallet writes exactly one.
 *
 * @param status {@code succeeded}, {@code failed}, {@code canceled} or {@code blocked}
 */
public record UsageRecord(String id, String runId, String workspaceId, String principalType, String userId,
                          String keyId, String keyPrefix, String modelId, String modelSlug, String releaseVersion,
                          String mode, String kind, String provider, String providerModel, long inputTokens,
                          long outputTokens, long units, boolean usageEstimated, long costMicros, String status,
                          String errorCode, long latencyMs, String requestId, String entryPoint, String parentRunId,
                          long createdAt) {
}
