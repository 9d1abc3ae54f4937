package io.aimp.gateway.runs;

/**
 * A cross-cutting stage around the executor (limits, idempotency, wallet, ...). Hooks run
 * {@code before} in order and {@code inCommit}/{@code afterCommit}/{@code onAbort} in reverse; any
 * {@code before} may short-circuit by throwing a {@link io.aimp.gateway.common.GatewayException}, in
 * which case the hooks that already ran get {@code onAbort}.
 */
public interface RunHook {

    /** Runs before the run is recorded and executed. */
    default void before(RunContext ctx) {
    }

    /**
     * Runs inside the transaction that records the run's final state, usage and log: money moves
     * here so it commits together with them. Throwing rolls the whole completion back.
     */
    default void inCommit(RunContext ctx, RunRecord finished) {
    }

    /** Runs after the final state committed (release in-memory holds, counters). */
    default void afterCommit(RunContext ctx, RunRecord finished) {
    }

    /** Runs when the pipeline stopped after this hook's {@code before} succeeded but before a commit. */
    default void onAbort(RunContext ctx, RuntimeException cause) {
    }
}
