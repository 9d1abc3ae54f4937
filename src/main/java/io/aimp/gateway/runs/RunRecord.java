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
        return toBuilder().input(null).params(null).build();
    }

    public Long durationMs() {
        if (completedAt == null) {
            return null;
        }
        return completedAt - (startedAt != null ? startedAt : createdAt);
    }

    /** A record to fill field by field: {@code builder()} for a new run, {@link #toBuilder()} for a copy. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this record, to change a few. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds run records; fields left unset are null, zero or false. */
    public static final class Builder {
        private String id;
        private String workspaceId;
        private String modelId;
        private String modelSlug;
        private String releaseVersion;
        private String mode;
        private String kind;
        private String scope;
        private RunStatus status;
        private JsonNode input;
        private JsonNode params;
        private JsonNode options;
        private JsonNode output;
        private JsonNode error;
        private long inputTokens;
        private long outputTokens;
        private long units;
        private boolean usageEstimated;
        private long costMicros;
        private String provider;
        private String providerModel;
        private String principalType;
        private String userId;
        private String keyId;
        private String keyPrefix;
        private String requestId;
        private String entryPoint;
        private String parentRunId;
        private Long leaseUntil;
        private long createdAt;
        private Long startedAt;
        private Long completedAt;

        private Builder() {
        }

        private Builder(RunRecord r) {
            this.id = r.id;
            this.workspaceId = r.workspaceId;
            this.modelId = r.modelId;
            this.modelSlug = r.modelSlug;
            this.releaseVersion = r.releaseVersion;
            this.mode = r.mode;
            this.kind = r.kind;
            this.scope = r.scope;
            this.status = r.status;
            this.input = r.input;
            this.params = r.params;
            this.options = r.options;
            this.output = r.output;
            this.error = r.error;
            this.inputTokens = r.inputTokens;
            this.outputTokens = r.outputTokens;
            this.units = r.units;
            this.usageEstimated = r.usageEstimated;
            this.costMicros = r.costMicros;
            this.provider = r.provider;
            this.providerModel = r.providerModel;
            this.principalType = r.principalType;
            this.userId = r.userId;
            this.keyId = r.keyId;
            this.keyPrefix = r.keyPrefix;
            this.requestId = r.requestId;
            this.entryPoint = r.entryPoint;
            this.parentRunId = r.parentRunId;
            this.leaseUntil = r.leaseUntil;
            this.createdAt = r.createdAt;
            this.startedAt = r.startedAt;
            this.completedAt = r.completedAt;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder workspaceId(String workspaceId) {
            this.workspaceId = workspaceId;
            return this;
        }

        public Builder modelId(String modelId) {
            this.modelId = modelId;
            return this;
        }

        public Builder modelSlug(String modelSlug) {
            this.modelSlug = modelSlug;
            return this;
        }

        public Builder releaseVersion(String releaseVersion) {
            this.releaseVersion = releaseVersion;
            return this;
        }

        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder status(RunStatus status) {
            this.status = status;
            return this;
        }

        public Builder input(JsonNode input) {
            this.input = input;
            return this;
        }

        public Builder params(JsonNode params) {
            this.params = params;
            return this;
        }

        public Builder options(JsonNode options) {
            this.options = options;
            return this;
        }

        public Builder output(JsonNode output) {
            this.output = output;
            return this;
        }

        public Builder error(JsonNode error) {
            this.error = error;
            return this;
        }

        public Builder inputTokens(long inputTokens) {
            this.inputTokens = inputTokens;
            return this;
        }

        public Builder outputTokens(long outputTokens) {
            this.outputTokens = outputTokens;
            return this;
        }

        public Builder units(long units) {
            this.units = units;
            return this;
        }

        public Builder usageEstimated(boolean usageEstimated) {
            this.usageEstimated = usageEstimated;
            return this;
        }

        public Builder costMicros(long costMicros) {
            this.costMicros = costMicros;
            return this;
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        public Builder providerModel(String providerModel) {
            this.providerModel = providerModel;
            return this;
        }

        public Builder principalType(String principalType) {
            this.principalType = principalType;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder entryPoint(String entryPoint) {
            this.entryPoint = entryPoint;
            return this;
        }

        public Builder parentRunId(String parentRunId) {
            this.parentRunId = parentRunId;
            return this;
        }

        public Builder leaseUntil(Long leaseUntil) {
            this.leaseUntil = leaseUntil;
            return this;
        }

        public Builder createdAt(long createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder startedAt(Long startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder completedAt(Long completedAt) {
            this.completedAt = completedAt;
            return this;
        }

        /** The usage and cost the run's provider work consumed. */
        public Builder usage(long inputTokens, long outputTokens, long units, boolean usageEstimated, long costMicros) {
            this.inputTokens = inputTokens;
            this.outputTokens = outputTokens;
            this.units = units;
            this.usageEstimated = usageEstimated;
            this.costMicros = costMicros;
            return this;
        }

        public RunRecord build() {
            return new RunRecord(id, workspaceId, modelId, modelSlug, releaseVersion, mode, kind, scope, status, input,
                    params, options, output, error, inputTokens, outputTokens, units, usageEstimated, costMicros, provider,
                    providerModel, principalType, userId, keyId, keyPrefix, requestId, entryPoint, parentRunId, leaseUntil,
                    createdAt, startedAt, completedAt);
        }
    }
}
