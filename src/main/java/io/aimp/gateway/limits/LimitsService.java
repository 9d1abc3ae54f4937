package io.aimp.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.limits.LimitStore.ScopeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * Requests per minute, tokens per minute, concurrent runs and daily/monthly credit caps, per
 * workspace, API key, role and model release; every limit that applies must admit, so the tightest
 * decides. Tokens, slots and credits are reserved from the worst-case estimate and settled with the
 * actual usage ({@link #settle}) or given back ({@link #release}). A refused request takes nothing.
 */
@Service
public class LimitsService {

    static final long MAX_LIMIT = 1_000_000_000L;
    private static final String RELEASE_SCOPE = "release:";

    private final LimitBackend backend;
    private final LimitStore store;
    private final LimitsProperties props;
    private final Clock clock;
    private final Cache<String, Optional<LimitSet>> overrides = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(10)).maximumSize(100_000).build();
    private final ConcurrentHashMap<String, CapCounter> caps = new ConcurrentHashMap<>();

    LimitsService(LimitBackend backend, LimitStore store, LimitsProperties props, Clock clock) {
        this.backend = backend;
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    /**
     * Who and what a run is for.
     *
     * @param release the release's own limits (requests/tokens per minute, concurrency), {@code null} fields for none
     */
    public record Subject(String workspaceId, String keyId, Role role, String releaseKey, LimitSet release) {
    }

    /** What one admitted run holds, to settle or give back. */
    public static final class Admission {
        private final List<Taken> requestWindows = new ArrayList<>();
        private final List<String> slots = new ArrayList<>();
        private final List<Taken> tokenWindows = new ArrayList<>();
        private final List<CapTaken> capsTaken = new ArrayList<>();
        private final List<Taken> imageMinuteWindows = new ArrayList<>();
        private final List<DayTaken> imageDayWindows = new ArrayList<>();
        private long images;
        private long estimatedTokens;
        /** Tokens counted when the run was queued, before this admission: a release leaves them counted. */
        private long queuedTokens;
        private boolean done;

        private Admission(long estimatedTokens) {
            this.estimatedTokens = estimatedTokens;
        }

        /** The tokens this run holds in its tokens-per-minute windows: its estimate plus what later steps took. */
        public synchronized long tokensHeld() {
            return estimatedTokens;
        }
    }

    private record Taken(String key, long limit) {
    }

    private record CapTaken(CapCounter counter, long amount) {
    }

    private record DayTaken(String key, long limit, long endMillis) {
    }

    /** Spend in one period (day or month) of one scope: settled from the usage log, plus reserved. */
    private static final class CapCounter {
        final long periodEnd;
        long spent;
        long reserved;

        CapCounter(long periodEnd, long spent) {
            this.periodEnd = periodEnd;
            this.spent = spent;
        }
    }

    private record Scope(String name, ScopeType storedAs, String workspaceId, String keyId, LimitSet limits) {
    }

    /**
     * Admits a run whose worst case is {@code tokens} tokens and {@code credits} micro-credits.
     *
     * @throws GatewayException 429 {@code rate_limited} (with {@code Retry-After} and {@code RateLimit-*}
     *                          headers) or {@code quota_exceeded} (with the reset time); nothing is taken then
     */
    public Admission admit(Subject s, long tokens, long credits) {
        return admit(s, tokens, credits, Slots.ALL);
    }

    /** Which concurrency slots an admission takes. */
    public enum Slots {
        /** every limit's: a run that executes now */
        ALL,
        /** only the release's: a nested run, which executes inside its parent's workspace, key and role slots */
        RELEASE,
        /** none: a run that waits in a queue takes them with {@link #acquireSlots} when it starts */
        NONE
    }

    /**
     * The concurrency slots of every limit that applies, for a run about to execute; empty (and
     * nothing taken) when one of them is full. The returned admission holds only the slots:
     * {@link #settle} or {@link #release} frees them.
     */
    public Optional<Admission> acquireSlots(Subject s) {
        return acquireSlots(s, 0);
    }

    /**
     * {@link #acquireSlots(Subject)} for a run that was counted with {@code queuedTokens} in the
     * tokens-per-minute windows when it was queued: the admission holds them again, so a later step
     * takes only what exceeds them ({@link #takeMoreTokens}) and {@link #settle} corrects the windows
     * to the actual usage — gives back what the run did not use, takes what it used beyond.
     */
    public Optional<Admission> acquireSlots(Subject s, long queuedTokens) {
        Admission a = new Admission(Math.max(0, queuedTokens));
        a.queuedTokens = a.estimatedTokens;
        List<Scope> scopes = scopes(s);
        for (Scope sc : scopes) {
            Long tpm = sc.limits().tokensPerMinute();
            if (tpm != null && a.estimatedTokens > 0) {
                a.tokenWindows.add(new Taken(sc.name() + "|tpm", tpm));
            }
        }
        for (Scope sc : scopes) {
            Long max = sc.limits().concurrentRuns();
            if (max != null) {
                String key = sc.name() + "|concurrent";
                if (!backend.acquireSlot(key, max)) {
                    a.slots.forEach(backend::releaseSlot); // the queued tokens stay counted: the run waits
                    return Optional.empty();
                }
                a.slots.add(key);
            }
        }
        return Optional.of(a);
    }

    /** Like {@link #admit(Subject, long, long)}, taking only the concurrency slots {@code slots} names. */
    public Admission admit(Subject s, long tokens, long credits, Slots slots) {
        return admit(s, tokens, credits, 0, slots);
    }

    /**
     * Like {@link #admit(Subject, long, long, Slots)} for a run that asks for {@code images} images: they are
     * taken from every {@code images_per_minute} and {@code images_per_day} window that applies, {@code n}
     * images counting {@code n}, and settled with the images the run returned ({@link #settle(Admission, long,
     * long, long)}).
     */
    public Admission admit(Subject s, long tokens, long credits, long images, Slots slots) {
        Admission a = new Admission(tokens);
        try {
            List<Scope> scopes = scopes(s);
            for (Scope sc : scopes) {
                Long rpm = sc.limits().requestsPerMinute();
                if (rpm != null) {
                    String key = sc.name() + "|rpm";
                    check(backend.take(key, rpm, 1), Dimension.REQUESTS_PER_MINUTE, sc, rpm, 1);
                    a.requestWindows.add(new Taken(key, rpm));
                }
            }
            for (Scope sc : scopes) {
                boolean takes = slots == Slots.ALL || (slots == Slots.RELEASE && sc.name().startsWith(RELEASE_SCOPE));
                Long max = takes ? sc.limits().concurrentRuns() : null;
                if (max != null) {
                    String key = sc.name() + "|concurrent";
                    if (!backend.acquireSlot(key, max)) {
                        throw refusal(Decision.RATE_LIMITED, Dimension.CONCURRENT_RUNS, sc, max, 0, 1L,
                                "the " + sc.name().split(":")[0] + " already has " + max + " runs in progress; retry when one completes");
                    }
                    a.slots.add(key);
                }
            }
            for (Scope sc : scopes) {
                Long tpm = sc.limits().tokensPerMinute();
                if (tpm != null && tokens > 0) {
                    String key = sc.name() + "|tpm";
                    if (tokens > tpm) {
                        throw refusal(Decision.QUOTA_EXCEEDED, Dimension.TOKENS_PER_MINUTE, sc, tpm, tpm, null,
                                "this request may use up to " + tokens + " tokens, more than the limit of " + tpm
                                        + " tokens per minute; lower params.max_tokens or the input");
                    }
                    check(backend.take(key, tpm, tokens), Dimension.TOKENS_PER_MINUTE, sc, tpm, tokens);
                    a.tokenWindows.add(new Taken(key, tpm));
                }
            }
            if (images > 0) {
                takeImages(a, scopes, images);
            }
            for (Scope sc : scopes) {
                if (sc.storedAs() == null) {
                    continue; // caps are per workspace and per key
                }
                reserveCap(a, sc, Dimension.DAILY_CREDITS, sc.limits().dailyCredits(), credits);
                reserveCap(a, sc, Dimension.MONTHLY_CREDITS, sc.limits().monthlyCredits(), credits);
            }
            return a;
        } catch (RuntimeException e) {
            undo(a, true); // a refused request takes nothing, not even its place in the request windows
            throw e;
        }
    }

    /**
     * Before a provider call of an admitted run that needs more tokens than it holds (a later step that
     * resends the conversation): takes {@code more} from every tokens-per-minute window the run was
     * admitted against, with the same check as {@link #admit}.
     *
     * @throws GatewayException 429 {@code rate_limited}; nothing is taken then
     */
    public void takeMoreTokens(Admission a, long more) {
        if (more <= 0) {
            return;
        }
        List<Taken> took = new ArrayList<>();
        for (Taken t : a.tokenWindows) {
            LimitBackend.Probe p = backend.take(t.key(), t.limit(), more);
            if (!p.admitted()) {
                took.forEach(x -> backend.giveBack(x.key(), x.limit(), more));
                long wait = Math.max(1, Math.ceilDiv(p.nanosToWait(), 1_000_000_000L));
                throw GatewayException.of(ErrorCategory.LIMIT, "rate_limited", "the run's next provider call may use up to "
                                + more + " more tokens than the " + t.key().substring(0, t.key().indexOf(':')).replace("key", "API key")
                                + " allows per minute (" + t.limit() + "); retry after " + wait + " s")
                        .with("limit", Dimension.TOKENS_PER_MINUTE.wireName())
                        .retryAfter(wait).header("RateLimit-Limit", Long.toString(t.limit()))
                        .header("RateLimit-Remaining", Long.toString(Math.max(0, p.remaining())))
                        .header("RateLimit-Reset", Long.toString(wait)).build();
            }
            took.add(t);
        }
        synchronized (a) {
            a.estimatedTokens += more;
        }
    }

    /** After the run committed: tokens and credits are counted as actually used; slots are freed. */
    public void settle(Admission a, long actualTokens, long actualCredits) {
        settle(a, actualTokens, actualCredits, a.images);
    }

    /** {@link #settle(Admission, long, long)}, with the images the run returned: the rest of its images go back. */
    public void settle(Admission a, long actualTokens, long actualCredits, long actualImages) {
        synchronized (a) {
            if (a.done) {
                return;
            }
            a.done = true;
        }
        long unused = Math.max(0, a.images - Math.max(0, actualImages));
        if (unused > 0) {
            a.imageMinuteWindows.forEach(t -> backend.giveBack(t.key(), t.limit(), unused));
            a.imageDayWindows.forEach(t -> backend.giveBackUntil(t.key(), t.limit(), unused, t.endMillis()));
        }
        for (Taken t : a.tokenWindows) {
            if (actualTokens < a.estimatedTokens) {
                backend.giveBack(t.key(), t.limit(), a.estimatedTokens - actualTokens);
            } else if (actualTokens > a.estimatedTokens) {
                backend.takeOverdraft(t.key(), t.limit(), actualTokens - a.estimatedTokens);
            }
        }
        for (CapTaken c : a.capsTaken) {
            synchronized (c.counter()) {
                c.counter().reserved -= c.amount();
                c.counter().spent += actualCredits;
            }
        }
        a.slots.forEach(backend::releaseSlot);
    }

    /**
     * Gives back the tokens, slots and credits an admitted run held when it never executed (refused by
     * a later stage, or a replay); a queued run's tokens stay counted until it settles. The request still counts against the requests-per-minute windows:
     * it was a request, and refusals must not become a way around the rate limit.
     */
    public void release(Admission a) {
        undo(a, false);
    }

    private void undo(Admission a, boolean requestsToo) {
        synchronized (a) {
            if (a.done) {
                return;
            }
            a.done = true;
        }
        if (requestsToo) {
            a.requestWindows.forEach(t -> backend.giveBack(t.key(), t.limit(), 1));
        }
        a.slots.forEach(backend::releaseSlot);
        long taken = a.estimatedTokens - a.queuedTokens;
        if (taken > 0) {
            a.tokenWindows.forEach(t -> backend.giveBack(t.key(), t.limit(), taken));
        }
        a.imageMinuteWindows.forEach(t -> backend.giveBack(t.key(), t.limit(), a.images));
        a.imageDayWindows.forEach(t -> backend.giveBackUntil(t.key(), t.limit(), a.images, t.endMillis()));
        for (CapTaken c : a.capsTaken) {
            synchronized (c.counter()) {
                c.counter().reserved -= c.amount();
            }
        }
    }

    /** Takes {@code images} from each scope's images-per-minute and images-per-day windows (UTC days). */
    private void takeImages(Admission a, List<Scope> scopes, long images) {
        a.images = images;
        for (Scope sc : scopes) {
            Long ipm = sc.limits().imagesPerMinute();
            if (ipm != null) {
                if (images > ipm) {
                    throw refusal(Decision.QUOTA_EXCEEDED, Dimension.IMAGES_PER_MINUTE, sc, ipm, ipm, null,
                            "this request asks for " + images + " images, more than the " + label(sc) + "'s limit of "
                                    + ipm + " images per minute; lower params.n");
                }
                String key = sc.name() + "|ipm";
                LimitBackend.Probe p = backend.take(key, ipm, images);
                if (!p.admitted()) {
                    long wait = Math.max(1, Math.ceilDiv(p.nanosToWait(), 1_000_000_000L));
                    throw refusal(Decision.RATE_LIMITED, Dimension.IMAGES_PER_MINUTE, sc, ipm, p.remaining(), wait,
                            "the " + label(sc) + " allows " + ipm + " images per minute; retry after " + wait + " s");
                }
                a.imageMinuteWindows.add(new Taken(key, ipm));
            }
        }
        long now = clock.millis();
        LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        long end = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        for (Scope sc : scopes) {
            Long ipd = sc.limits().imagesPerDay();
            if (ipd != null) {
                String key = sc.name() + "|ipd";
                LimitBackend.Probe p = backend.takeUntil(key, ipd, images, end);
                if (!p.admitted()) {
                    long seconds = Math.max(1, Math.ceilDiv(end - now, 1000L));
                    throw GatewayException.of(ErrorCategory.LIMIT, "quota_exceeded",
                                    "the " + label(sc) + " allows " + ipd + " images per day and has " + p.remaining()
                                            + " left; this request asks for " + images + ". It resets at "
                                            + Instant.ofEpochMilli(end))
                            .retryAfter(seconds)
                            .with("limit", Dimension.IMAGES_PER_DAY.wireName())
                            .with("scope", label(sc))
                            .with("reset_at", Instant.ofEpochMilli(end).toString())
                            .header("RateLimit-Limit", Long.toString(ipd))
                            .header("RateLimit-Remaining", Long.toString(p.remaining()))
                            .header("RateLimit-Reset", Long.toString(seconds))
                            .build();
                }
                a.imageDayWindows.add(new DayTaken(key, ipd, end));
            }
        }
    }

    private void reserveCap(Admission a, Scope sc, Dimension d, Long cap, long credits) {
        if (cap == null) {
            return;
        }
        long now = clock.millis();
        LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate start = d == Dimension.DAILY_CREDITS ? today : today.withDayOfMonth(1);
        LocalDate end = d == Dimension.DAILY_CREDITS ? today.plusDays(1) : start.plusMonths(1);
        long startMillis = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long endMillis = end.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        String key = sc.name() + "|" + d.wireName() + "|" + startMillis;
        CapCounter counter = caps.computeIfAbsent(key, k -> new CapCounter(endMillis,
                store.spentSince(sc.workspaceId(), sc.keyId(), startMillis)));
        if (caps.size() > 10_000) {
            caps.values().removeIf(c -> c.periodEnd < now && c.reserved == 0);
        }
        synchronized (counter) {
            if (counter.spent + counter.reserved + credits > cap) {
                long left = Math.max(0, cap - counter.spent - counter.reserved);
                long seconds = Math.max(1, Math.ceilDiv(endMillis - now, 1000L));
                throw GatewayException.of(ErrorCategory.LIMIT, "quota_exceeded",
                                "the " + label(sc) + "'s " + (d == Dimension.DAILY_CREDITS ? "daily" : "monthly")
                                        + " cap of " + Money.format(cap) + " credits does not cover this run's maximum cost of "
                                        + Money.format(credits) + " credits; it resets at " + Instant.ofEpochMilli(endMillis))
                        .retryAfter(seconds)
                        .with("limit", d.wireName())
                        .with("scope", label(sc))
                        .with("reset_at", Instant.ofEpochMilli(endMillis).toString())
                        .header("RateLimit-Limit", Money.format(cap))
                        .header("RateLimit-Remaining", Money.format(left))
                        .header("RateLimit-Reset", Long.toString(seconds))
                        .build();
            }
            counter.reserved += credits;
        }
        a.capsTaken.add(new CapTaken(counter, credits));
    }

    private List<Scope> scopes(Subject s) {
        List<Scope> scopes = new ArrayList<>(4);
        scopes.add(new Scope("workspace:" + s.workspaceId(), ScopeType.WORKSPACE, s.workspaceId(), null,
                override(ScopeType.WORKSPACE, s.workspaceId()).orElse(LimitSet.NONE).orElse(props.workspace().toSet("workspace"))));
        if (s.keyId() != null) {
            scopes.add(new Scope("key:" + s.workspaceId() + ":" + s.keyId(), ScopeType.KEY, s.workspaceId(), s.keyId(),
                    override(ScopeType.KEY, s.keyId()).orElse(LimitSet.NONE).orElse(props.key().toSet("key"))));
        }
        LimitsProperties.Config role = props.roles().get(s.role().wireName());
        if (role != null) {
            scopes.add(new Scope("role:" + s.workspaceId() + ":" + s.role().wireName(), null, s.workspaceId(), null,
                    role.toSet("role")));
        }
        if (s.release() != null && !s.release().equals(LimitSet.NONE)) {
            scopes.add(new Scope(RELEASE_SCOPE + s.workspaceId() + ":" + s.releaseKey(), null, s.workspaceId(), null,
                    s.release()));
        }
        return scopes;
    }

    private Optional<LimitSet> override(ScopeType type, String id) {
        return overrides.get(type + ":" + id, k -> store.find(type, id));
    }

    private void check(LimitBackend.Probe p, Dimension d, Scope sc, long limit, long amount) {
        if (!p.admitted()) {
            long wait = Math.max(1, Math.ceilDiv(p.nanosToWait(), 1_000_000_000L));
            throw refusal(Decision.RATE_LIMITED, d, sc, limit, p.remaining(), wait,
                    "the " + label(sc) + " allows " + limit + (d == Dimension.REQUESTS_PER_MINUTE ? " requests" : " tokens")
                            + " per minute; retry after " + wait + " s");
        }
    }

    private static String label(Scope sc) {
        return sc.name().substring(0, sc.name().indexOf(':')).replace("key", "API key");
    }

    private static GatewayException refusal(Decision decision, Dimension d, Scope sc, long limit, long remaining,
                                            Long retryAfter, String detail) {
        GatewayException.Builder b = GatewayException.of(ErrorCategory.LIMIT,
                        decision == Decision.RATE_LIMITED ? "rate_limited" : "quota_exceeded", detail)
                .with("limit", d.wireName())
                .with("scope", label(sc))
                .header("RateLimit-Limit", Long.toString(limit))
                .header("RateLimit-Remaining", Long.toString(Math.max(0, remaining)));
        if (retryAfter != null) {
            b.retryAfter(retryAfter).header("RateLimit-Reset", Long.toString(retryAfter));
        }
        return b.build();
    }

    /** The stored override of a workspace or key, without defaults. */
    public LimitSet stored(ScopeType type, String id) {
        return store.find(type, id).orElse(LimitSet.NONE);
    }

    /** The defaults from configuration that apply when no override is stored. */
    public LimitSet defaults(ScopeType type) {
        return type == ScopeType.WORKSPACE ? props.workspace().toSet("workspace") : props.key().toSet("key");
    }

    void put(ScopeType type, String id, String workspaceId, LimitSet limits) {
        store.put(type, id, workspaceId, limits, clock.millis());
        overrides.invalidate(type + ":" + id);
    }
}
