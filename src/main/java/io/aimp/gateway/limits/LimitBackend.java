package io.aimp.gateway.limits;

/**
 * Where rate windows and concurrency slots live: in memory on one node ({@link InMemoryLimitBackend});
 * in Redis for every node ({@link RedisLimitBackend}, when {@code aimp.redis.url} is set).
 */
public interface LimitBackend {

    /**
     * The result of taking from a window.
     *
     * @param nanosToWait  until enough is back to admit the same amount (0 when admitted)
     * @param nanosToReset until the window is full again
     */
    record Probe(boolean admitted, long remaining, long nanosToWait, long nanosToReset) {
    }

    /** Takes {@code amount} from the per-minute window {@code key} that admits {@code perMinute}. */
    Probe take(String key, long perMinute, long amount);

    /** Gives back what a {@link #take} took and did not use. */
    void giveBack(String key, long perMinute, long amount);

    /** Takes {@code amount} more even beyond the limit (actual usage above the reserved estimate). */
    void takeOverdraft(String key, long perMinute, long amount);

    /**
     * Takes {@code amount} from the fixed window {@code key} that admits {@code limit} until {@code endMillis}
     * (epoch milliseconds, e.g. the end of a UTC day); the next window starts empty.
     */
    Probe takeUntil(String key, long limit, long amount, long endMillis);

    /** Gives back what a {@link #takeUntil} took and did not use. */
    void giveBackUntil(String key, long limit, long amount, long endMillis);

    /** Takes one of {@code limit} concurrent slots; false when all are taken. */
    boolean acquireSlot(String key, long limit);

    void releaseSlot(String key);
}
