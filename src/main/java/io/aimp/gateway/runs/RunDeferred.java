package io.aimp.gateway.runs;

/**
 * Thrown by a hook's {@link RunHook#beforeQueuedStart} when a queued run cannot start yet but must not
 * fail (its concurrency slot is taken): the run goes back to the queue and is claimed again after
 * {@code delayMillis}. Hooks that ran before get {@code onAbort}.
 */
final class RunDeferred extends RuntimeException {

    private final long delayMillis;

    RunDeferred(long delayMillis) {
        super(null, null, false, false);
        this.delayMillis = delayMillis;
    }

    long delayMillis() {
        return delayMillis;
    }
}
