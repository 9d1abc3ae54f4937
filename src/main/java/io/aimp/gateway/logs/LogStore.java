package io.aimp.gateway.logs;

import java.util.List;

/** Usage records and execution logs. Writes happen inside the caller's transaction. */
public interface LogStore {

    void insertUsage(UsageRecord record);

    /** {@link #insertUsage} with its values bound now, to run later inside a commit. */
    Runnable usageInsertion(UsageRecord record);

    void insertExecutionLogs(List<ExecutionLogEntry> entries);

    /** {@link #insertExecutionLogs} with its values bound now, to run later inside a commit. */
    Runnable executionLogsInsertion(List<ExecutionLogEntry> entries);

    /** Filters for the usage log; null fields do not filter. */
    record UsageQuery(String workspaceId, String keyId, String userId, java.util.Set<String> models, String modelSlug, String status, String runId,
                      Long fromMillis, Long toMillis, int limit, int offset) {
    }

    List<UsageRecord> usage(UsageQuery query);

    List<ExecutionLogEntry> executions(String workspaceId, String runId);

    /** One bucket of usage statistics. */
    record StatRow(long bucketStart, String group, long runs, long succeeded, long failed, long inputTokens,
                   long outputTokens, long units, long costMicros) {
    }

    /**
     * @param bucketMillis bucket width (3,600,000 for hours, 86,400,000 for days)
     * @param groupBy      {@code model}, {@code status} or {@code key}
     */
    List<StatRow> stats(String workspaceId, String userId, java.util.Set<String> models, long fromMillis, long toMillis, long bucketMillis, String groupBy);
}
