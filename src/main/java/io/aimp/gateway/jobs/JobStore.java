package io.aimp.gateway.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Jobs and their items. Item moves are conditional on the state they leave, so two nodes (or a node
 * and a sweep) never both move the same item.
 */
interface JobStore {

    /** What {@link #reopen} did. */
    enum Reopen { REOPENED, AT_CAP, CHANGED }

    /**
     * Inserts a running job with its queued items unless its workspace already has {@code maxRunning}
     * running jobs. The check and the insert are atomic per workspace on every database: concurrent
     * calls never create more than {@code maxRunning} running jobs.
     *
     * @return false, with nothing written, when the workspace is at its cap
     */
    boolean insert(JobRecord job, List<JsonNode> inputs, int maxRunning);

    /**
     * Moves a finished job ({@code from}) back to running unless its workspace already has
     * {@code maxRunning} running jobs, atomically per workspace like {@link #insert}.
     */
    Reopen reopen(String workspaceId, String jobId, JobStatus from, long now, int maxRunning);

    Optional<JobRecord> find(String workspaceId, String id);

    Optional<JobRecord> findById(String id);

    /** A workspace's jobs, newest first; only {@code userId}'s when it is not null, only in {@code status} when not null. */
    List<JobRecord> list(String workspaceId, String userId, JobStatus status, int limit, int offset);

    int countRunning(String workspaceId);

    /** Items of every workspace's jobs waiting to run (a metric: the job queue's depth). */
    long countQueuedItems();

    Map<ItemStatus, Integer> counts(String jobId);

    List<JobItem> items(String jobId, ItemStatus status, int limit, int offset);

    /**
     * Claims up to {@code max} items of running jobs: queued ones that may start now, and running ones
     * whose lease ended (their node died). Each claim adds one attempt.
     */
    List<JobItem> claim(int max, long now, long leaseUntil);

    /** Moves a running item to its final state; false when it is no longer running (canceled meanwhile). */
    default boolean finish(String jobId, int index, ItemStatus status, String runId, JsonNode output, JsonNode error,
                           long now) {
        return finish(jobId, index, status, runId, output, error, true, now);
    }

    /**
     * {@link #finish(String, int, ItemStatus, String, JsonNode, JsonNode, long)}; with {@code keepInput} false
     * the item's input is forgotten in the same update (a job with {@code options.persist: false} keeps the
     * input of an item only while it may still run).
     */
    boolean finish(String jobId, int index, ItemStatus status, String runId, JsonNode output, JsonNode error,
                   boolean keepInput, long now);

    /** Puts a running item back in the queue, startable from {@code notBefore}. */
    boolean requeue(String jobId, int index, long notBefore, long now);

    /** Fails every queued item of a job with {@code error}; returns how many. */
    int failQueued(String jobId, JsonNode error, long now);

    /** Moves the job's items in state {@code from} to {@code to}; returns how many. */
    int moveItems(String jobId, ItemStatus from, ItemStatus to, long now);

    /** Puts running items whose lease ended before {@code leaseBefore} back in the queue; returns how many. */
    int requeueAbandoned(long leaseBefore, long now);

    /** Moves the job from one state to another; false when it was not in {@code from}. */
    boolean move(String jobId, JobStatus from, JobStatus to, long now);

    /**
     * Finishes a running job that has no queued or running item left, as {@link JobStatus#finished}
     * says from its items; false otherwise.
     */
    boolean completeIfDone(String jobId, long now);
}
