package io.aimp.gateway.runs;

import java.util.Optional;

/**
 * A cross-cutting stage around the executor (limits, idempotency, wallet, ...). Hooks run
 * {@code before} in order and {@code inCommit}/{@code afterCommit}/{@code onAbort} in reverse; any
 * {@code before} may short-circuit by throwing a {@link io.aimp.gateway.common.GatewayException}, in
 * which case the hooks that already ran get {@code onAbort}.
 */
public interface RunHook {

    /**
     * The boolean property that switches this stage off when {@code false} (read once, at start-up),
     * or {@code null} when the stage always runs. A property rather than a conditional bean, so the
     * switch still works when the bean definitions were computed ahead of time.
     */
    default String switchProperty() {
        return null;
    }

    /**
     * Runs before the run is recorded and executed. Returning a stored response ends the pipeline
     * there: the caller gets that response (an idempotent replay) and the hooks that already ran get
     * {@code onAbort} with a {@code null} cause.
     */
    default Optional<RunService.Replayed> before(RunContext ctx) {
        return Optional.empty();
    }

    /**
     * Runs when the async worker starts a queued run (as its submitter is now), before its executor.
     * Throwing a {@link io.aimp.gateway.common.GatewayException} fails the run with that problem;
     * throwing {@link RunDeferred} puts it back in the queue for later (the hooks that ran before get
     * {@code onAbort}).
     */
    default void beforeQueuedStart(RunContext ctx) {
    }

    /**
     * Runs inside the transaction that records the run's state: its final state, usage and log (money
     * moves here so it commits together with them), or its {@code queued} state for an async run.
     * Throwing rolls the whole commit back.
     */
    default void inCommit(RunContext ctx, RunRecord finished) {
    }

    /**
     * Runs inside the transaction that ends a run no execution on this node finished: a queued run canceled
     * before it started, or a run a stopped process left running, failed by the lease sweep. No
     * {@code before} stage ran for it here, so there is no context and nothing this node holds for it.
     * Throwing rolls the whole commit back (the run stays as it was).
     */
    default void inCommitWithoutExecution(RunRecord ended) {
    }

    /** Runs after the state committed (release in-memory holds, counters). */
    default void afterCommit(RunContext ctx, RunRecord finished) {
    }

    /**
     * Runs when the pipeline stopped after this hook's {@code before} succeeded but before a commit;
     * {@code cause} is {@code null} when a later hook answered with a replay.
     */
    default void onAbort(RunContext ctx, RuntimeException cause) {
    }
}
