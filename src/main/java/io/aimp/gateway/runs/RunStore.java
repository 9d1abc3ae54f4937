package io.aimp.gateway.runs;

import java.util.List;
import java.util.Optional;

/**
 * Runs and their lifecycle. Every status change is a conditional update from the states
 * {@link RunStatus} allows, so two nodes or two threads can never both move the same run.
 */
public interface RunStore {

    void insert(RunRecord run);

    /**
     * The insert of {@code run}, its values (JSON included) already serialised, to run later inside a
     * commit: the work left for the single writer is the statement alone.
     */
    Runnable insertion(RunRecord run);

    Optional<RunRecord> find(String workspaceId, String id);

    /** By id alone, for the gateway's own maintenance; never for answering a caller. */
    Optional<RunRecord> findById(String id);

    /** @param models a key's model allowlist (slugs or ids; a run matches by either), {@code null} for all */
    record RunQuery(String workspaceId, String userId, java.util.Set<String> models, String modelSlug, String mode,
                    RunStatus status, Long fromMillis, Long toMillis, int limit, int offset) {
    }

    List<RunRecord> list(RunQuery query);

    /** Queued → running for one specific run; false when it was not queued. */
    boolean start(String id, long now, long leaseUntil);

    /**
     * Claims the oldest queued run that may start at {@code now} (PostgreSQL: {@code FOR UPDATE SKIP
     * LOCKED}); empty when none.
     */
    Optional<RunRecord> claimQueued(long now, long leaseUntil);

    /**
     * Running → queued again, startable from {@code notBefore} (an async run that found no free
     * concurrency slot). False when the run was no longer running (canceled meanwhile).
     */
    boolean defer(String id, long notBefore);

    /**
     * Running → a terminal state with its output, usage and cost. False when the run was no longer
     * running (canceled meanwhile); then nothing is written.
     */
    boolean finish(RunRecord finished);

    /**
     * Queued or running → canceled. Returns the state the run left ({@code QUEUED}: it never started, so
     * nothing else records its end; {@code RUNNING}: its executor records it), or empty when the run is
     * already terminal or unknown.
     */
    Optional<RunStatus> cancel(String workspaceId, String id, long now);

    /**
     * Fails runs left running by a process that died: those whose lease ended before
     * {@code leaseBefore}. Returns their ids.
     */
    List<String> failAbandoned(long leaseBefore, long now, String errorJson);

    long count(String workspaceId, RunStatus status);

    /** Runs of every workspace waiting in the async queue (a metric: the queue's depth). */
    long countQueued();
}
