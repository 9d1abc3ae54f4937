package io.aimp.gateway.logs;

/**
 * One step of a run's execution log: a provider attempt, a workflow block or a tool call.
 *
 * @param step    {@code provider_attempt}, {@code block}, {@code tool_call}, ...
 * @param outcome {@code ok}, {@code failed} or {@code skipped}
 * @param detail  JSON text with redacted inputs and sizes, or {@code null}
 */
public record ExecutionLogEntry(String id, String runId, String workspaceId, int seq, String step, String name,
                                String provider, String providerModel, String outcome, String failureClass,
                                Integer httpStatus, long latencyMs, String detail, long createdAt) {
}
