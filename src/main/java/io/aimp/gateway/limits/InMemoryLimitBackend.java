package io.aimp.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's windows: a Bucket4j bucket per scope and limit that refills all at once every minute
 * (so "60 per minute" admits exactly 60 in any burst), and a counter per scope for concurrency.
 */
class InMemoryLimitBackend implements LimitBackend {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5)).maximumSize(1_000_000).build();
    private final ConcurrentHashMap<String, AtomicLong> slots = new ConcurrentHashMap<>();
    /** Fixed windows (e.g. a UTC day), named with their limit and end; kept a little past the longest window. */
    private final Cache<String, AtomicLong> fixed = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofDays(2)).maximumSize(1_000_000).build();

    private Bucket bucket(String key, long perMinute) {
        // the limit is part of the name: a changed limit starts a fresh window
        return buckets.get(key + "#" + perMinute, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
                .build());
    }

    @Override
    public Probe take(String key, long perMinute, long amount) {
        ConsumptionProbe p = bucket(key, perMinute).tryConsumeAndReturnRemaining(amount);
        return new Probe(p.isConsumed(), p.getRemainingTokens(), p.isConsumed() ? 0 : p.getNanosToWaitForRefill(),
                p.getNanosToWaitForReset());
    }

    @Override
    public void giveBack(String key, long perMinute, long amount) {
        if (amount > 0) {
            bucket(key, perMinute).addTokens(amount);
        }
    }

    @Override
    public void takeOverdraft(String key, long perMinute, long amount) {
        if (amount > 0) {
            bucket(key, perMinute).consumeIgnoringRateLimits(amount);
        }
    }

    @Override
    public Probe takeUntil(String key, long limit, long amount, long endMillis) {
        AtomicLong used = fixed.get(key + "#" + limit + "@" + endMillis, k -> new AtomicLong());
        long reset = Math.max(0, endMillis - System.currentTimeMillis()) * 1_000_000L;
        while (true) {
            long cur = used.get();
            if (cur + amount > limit) {
                return new Probe(false, Math.max(0, limit - cur), reset, reset);
            }
            if (used.compareAndSet(cur, cur + amount)) {
                return new Probe(true, limit - cur - amount, 0, reset);
            }
        }
    }

    @Override
    public void giveBackUntil(String key, long limit, long amount, long endMillis) {
        AtomicLong used = fixed.getIfPresent(key + "#" + limit + "@" + endMillis);
        if (used != null && amount > 0) {
            used.updateAndGet(v -> Math.max(0, v - amount));
        }
    }

    @Override
    public boolean acquireSlot(String key, long limit) {
        AtomicLong n = slots.computeIfAbsent(key, k -> new AtomicLong());
        while (true) {
            long cur = n.get();
            if (cur >= limit) {
                return false;
            }
            if (n.compareAndSet(cur, cur + 1)) {
                return true;
            }
        }
    }

    @Override
    public void releaseSlot(String key) {
        AtomicLong n = slots.get(key);
        if (n != null) {
            n.updateAndGet(v -> Math.max(0, v - 1));
        }
    }
}
