package io.aimp.gateway.jobs;

import tools.jackson.databind.JsonNode;

/** One bulk job: what every item runs (model, mode, params, options) and who asked. */
record JobRecord(String id, String workspaceId, String modelId, String modelSlug, String mode, JsonNode params,
                 JsonNode options, JobStatus status, int itemCount, String principalType, String userId,
                 String keyId, String keyPrefix, String role, String requestId, long createdAt, long updatedAt,
                 Long completedAt) {
}
