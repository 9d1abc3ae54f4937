package io.aimp.gateway.limits;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.limits.LimitsProperties.RedisUnavailable;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Windows and concurrency slots in Redis, shared by every node: each operation is one Lua script on
 * one key, so a check and its take are atomic across the cluster. A window is a counter that lives one
 * minute from its first take ("60 per minute" admits exactly 60 in any burst, as on one node).
 *
 * <p>Redis that cannot be reached never holds a request longer than the command timeout: commands
 * are rejected at once while the connection is down, and the client reconnects by itself. Meanwhile
 * {@link RedisUnavailable#DENY} refuses checks with 503 {@code limits_unavailable} and
 * {@link RedisUnavailable#ALLOW_LOCAL} counts in this node's memory. A concurrency slot is given back
 * where it was taken; tokens given back that cannot reach Redis go to the local windows (they clamp at
 * full, so a give-back that reaches a window that never lent has no effect there).
 */
final class RedisLimitBackend implements LimitBackend, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLimitBackend.class);
    private static final String PREFIX = "aimp:limits:";
    private static final long WINDOW_MILLIS = 60_000;
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOG_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** KEYS[1] window; ARGV: limit, amount, window ms. Returns {admitted, remaining, ms to reset}. */
    private static final Script TAKE = new Script("""
            local v = redis.call('GET', KEYS[1])
            local limit, amount, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local used, ttl = 0, window
            if v then
              used = tonumber(v)
              ttl = redis.call('PTTL', KEYS[1])
              if ttl < 0 then ttl = window end
            end
            if used + amount > limit then return {0, limit - used, ttl} end
            if v then redis.call('INCRBY', KEYS[1], amount) else redis.call('SET', KEYS[1], amount, 'PX', window) end
            return {1, limit - used - amount, ttl}""");
    /** KEYS[1] window; ARGV: amount. Never below empty; a window that ended stays ended. */
    private static final Script GIVE_BACK = new Script("""
            local v = redis.call('GET', KEYS[1])
            if v then
              local n = tonumber(v) - tonumber(ARGV[1])
              if n < 0 then n = 0 end
              redis.call('SET', KEYS[1], n, 'KEEPTTL')
            end
            return 0""");
    /** KEYS[1] window; ARGV: amount, window ms. */
    private static final Script OVERDRAFT = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1])
            else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
            return 0""");
    /** KEYS[1] slots; ARGV: limit, ttl ms. Returns 1 when a slot was taken. */
    private static final Script ACQUIRE = new Script("""
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n >= tonumber(ARGV[1]) then return 0 end
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1""");
    /** KEYS[1] slots; ARGV: ttl ms. */
    private static final Script RELEASE = new Script("""
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n <= 1 then redis.call('DEL', KEYS[1]) else
              redis.call('DECR', KEYS[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return 0""");

    static final List<Script> SCRIPTS = List.of(TAKE, GIVE_BACK, OVERDRAFT, ACQUIRE, RELEASE);

    record Script(String body, String sha) {
        Script(String body) {
            this(body, sha1(body));
        }
    }

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final RedisUnavailable whenUnavailable;
    private final LimitBackend local;
    private final Duration commandTimeout;
    private final long slotTtlMillis;
    private final String where;
    /** Slots taken in this node's memory while Redis could not be reached, per key, still held. */
    private final ConcurrentHashMap<String, AtomicLong> localSlots = new ConcurrentHashMap<>();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_PAUSE_NANOS);
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile CompletableFuture<StatefulRedisConnection<String, String>> connecting;
    private volatile long nextConnectAttempt;
    private volatile boolean unavailable;

    RedisLimitBackend(LimitsRedisProperties props, RedisUnavailable whenUnavailable, LimitBackend local) {
        this.uri = RedisURI.create(props.url());
        this.uri.setTimeout(props.commandTimeout());
        this.where = uri.getHost() + ":" + uri.getPort(); // never the password
        this.whenUnavailable = whenUnavailable;
        this.local = local;
        this.commandTimeout = props.commandTimeout();
        this.slotTtlMillis = props.slotTtl().toMillis();
        // reconnect attempts back off from 50 ms to at most 2 s: an outage ends for this node soon after Redis is back
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(props.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(props.connectTimeout()).build())
                .build());
        this.nextConnectAttempt = System.nanoTime();
        startConnecting();
    }

    /** Whether the last command reached Redis. */
    boolean reachable() {
        return !unavailable;
    }

    @Override
    public Probe take(String key, long perMinute, long amount) {
        List<Object> r;
        try {
            r = run(TAKE, key(key, perMinute), Long.toString(perMinute), Long.toString(amount), Long.toString(WINDOW_MILLIS));
        } catch (RuntimeException e) {
            return unreachable(e).take(key, perMinute, amount);
        }
        long ttlNanos = TimeUnit.MILLISECONDS.toNanos((Long) r.get(2));
        boolean admitted = (Long) r.get(0) == 1L;
        return new Probe(admitted, Math.max(0, (Long) r.get(1)), admitted ? 0 : ttlNanos, ttlNanos);
    }

    @Override
    public void giveBack(String key, long perMinute, long amount) {
        if (amount <= 0) {
            return;
        }
        try {
            run(GIVE_BACK, key(key, perMinute), Long.toString(amount));
        } catch (RuntimeException e) {
            noteFailure(e);
            local.giveBack(key, perMinute, amount);
        }
    }

    @Override
    public void takeOverdraft(String key, long perMinute, long amount) {
        if (amount <= 0) {
            return;
        }
        try {
            run(OVERDRAFT, key(key, perMinute), Long.toString(amount), Long.toString(WINDOW_MILLIS));
        } catch (RuntimeException e) {
            noteFailure(e);
            local.takeOverdraft(key, perMinute, amount);
        }
    }

    @Override
    public Probe takeUntil(String key, long limit, long amount, long endMillis) {
        long window = Math.max(1, endMillis - System.currentTimeMillis());
        List<Object> r;
        try {
            r = run(TAKE, fixedKey(key, limit, endMillis), Long.toString(limit), Long.toString(amount), Long.toString(window));
        } catch (RuntimeException e) {
            return unreachable(e).takeUntil(key, limit, amount, endMillis);
        }
        long ttlNanos = TimeUnit.MILLISECONDS.toNanos((Long) r.get(2));
        boolean admitted = (Long) r.get(0) == 1L;
        return new Probe(admitted, Math.max(0, (Long) r.get(1)), admitted ? 0 : ttlNanos, ttlNanos);
    }

    @Override
    public void giveBackUntil(String key, long limit, long amount, long endMillis) {
        if (amount <= 0) {
            return;
        }
        try {
            run(GIVE_BACK, fixedKey(key, limit, endMillis), Long.toString(amount));
        } catch (RuntimeException e) {
            noteFailure(e);
            local.giveBackUntil(key, limit, amount, endMillis);
        }
    }

    private static String fixedKey(String key, long limit, long endMillis) {
        // the limit and the window's end are part of the name: a changed limit or a new day starts fresh
        return PREFIX + key + "#" + limit + "@" + endMillis;
    }

    @Override
    public boolean acquireSlot(String key, long limit) {
        try {
            return (Long) run(ACQUIRE, PREFIX + key, Long.toString(limit), Long.toString(slotTtlMillis)).getFirst() == 1L;
        } catch (RuntimeException e) {
            LimitBackend fallback = unreachable(e);
            boolean acquired = fallback.acquireSlot(key, limit);
            if (acquired) {
                localSlots.compute(key, (k, held) -> {
                    AtomicLong n = held == null ? new AtomicLong() : held;
                    n.incrementAndGet();
                    return n;
                });
            }
            return acquired;
        }
    }

    @Override
    public void releaseSlot(String key) {
        // a slot taken in memory during an outage is given back there, even when Redis answers again by then
        boolean[] takenLocally = {false};
        localSlots.computeIfPresent(key, (k, held) -> {
            takenLocally[0] = held.get() > 0;
            return held.decrementAndGet() <= 0 ? null : held;
        });
        if (takenLocally[0]) {
            local.releaseSlot(key);
            return;
        }
        try {
            run(RELEASE, PREFIX + key, Long.toString(slotTtlMillis));
        } catch (RuntimeException e) {
            noteFailure(e); // the slot's counter in Redis expires after aimp.redis.slot-ttl without use
        }
    }

    private static String key(String key, long perMinute) {
        // the limit is part of the name: a changed limit starts a fresh window
        return PREFIX + key + "#" + perMinute;
    }

    /** The local backend in {@code allow-local} mode; the refusal otherwise. */
    private LimitBackend unreachable(RuntimeException e) {
        noteFailure(e);
        if (whenUnavailable == RedisUnavailable.ALLOW_LOCAL) {
            return local;
        }
        throw GatewayException.of(ErrorCategory.CONFIGURATION, "limits_unavailable",
                        "the shared limits store cannot be reached, and aimp.limits.redis-unavailable is deny; retry shortly")
                .status(503).retryAfter(1).build();
    }

    private void noteFailure(RuntimeException e) {
        unavailable = true;
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last >= LOG_PAUSE_NANOS && lastFailureLog.compareAndSet(last, now)) {
            log.warn("Redis for limits at {} cannot be reached ({}); limit checks {} until it answers", where,
                    e.getClass().getSimpleName(), whenUnavailable == RedisUnavailable.DENY
                            ? "are refused with 503 limits_unavailable" : "count in this node's memory");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> run(Script s, String key, String... args) {
        var commands = connection().sync();
        Object r;
        try {
            r = commands.evalsha(s.sha(), ScriptOutputType.MULTI, new String[] {key}, args);
        } catch (RedisNoScriptException e) {
            r = commands.eval(s.body(), ScriptOutputType.MULTI, new String[] {key}, args);
        }
        if (unavailable) {
            unavailable = false;
            log.info("Redis for limits at {} answers again; limits are cluster-wide", where);
        }
        return r instanceof List<?> l ? (List<Object>) l : List.of(r);
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c; // reconnects by itself; commands fail at once while it is down
        }
        CompletableFuture<StatefulRedisConnection<String, String>> f;
        synchronized (this) {
            if (connection != null) {
                return connection;
            }
            f = connecting;
            if (f == null) {
                if (System.nanoTime() - nextConnectAttempt < 0) {
                    throw new IllegalStateException("not connected");
                }
                f = startConnecting();
            }
        }
        try {
            c = f.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS); // each caller waits at most this long
        } catch (TimeoutException e) {
            throw new IllegalStateException("still connecting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            synchronized (this) {
                if (connecting == f) {
                    connecting = null;
                    nextConnectAttempt = System.nanoTime() + RECONNECT_PAUSE_NANOS;
                }
            }
            throw new IllegalStateException("cannot connect");
        }
        synchronized (this) {
            if (connection == null) {
                connection = c;
            }
            connecting = null;
            return connection;
        }
    }

    private synchronized CompletableFuture<StatefulRedisConnection<String, String>> startConnecting() {
        connecting = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenApply(RedisLimitBackend::loadScripts);
        return connecting;
    }

    /**
     * Sends every script once the connection is up, before the first request needs one: otherwise a cold
     * node's first check pays a refused EVALSHA and an EVAL (and their code paths' first run) inside its
     * command timeout. Nothing waits for the answers: Redis runs a connection's commands in order, so a check
     * sent after them finds its script. A script Redis forgets later (a restart, SCRIPT FLUSH) is sent again
     * by {@link #run}.
     */
    private static StatefulRedisConnection<String, String> loadScripts(StatefulRedisConnection<String, String> c) {
        for (Script s : SCRIPTS) {
            c.async().scriptLoad(s.body());
        }
        return c;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
