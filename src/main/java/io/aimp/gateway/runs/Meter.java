package io.aimp.gateway.runs;

import io.aimp.gateway.billing.BillingService;
import io.aimp.gateway.billing.Pricer;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Pricing;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.Attempt;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.Route;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Router;
import io.aimp.gateway.providers.RoutingException;
import io.aimp.gateway.providers.Usage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The one metered path of a run's provider calls (DESIGN §2): every call made for a run, whatever
 * the step, goes through {@link #call}, which
 * <ol>
 * <li>checks the run's deadline (one absolute time for the whole run),</li>
 * <li>makes sure the run's hold covers what it has consumed, the calls in flight and this call's
 * upper bound (input bounded before the call, output by the cap sent), extending the hold with the
 * wallet's conditional update when it does not — and, when the wallet cannot cover the cap asked
 * for, lowering the cap to what the hold pays for, or ending the run {@code insufficient_funds},</li>
 * <li>sends that explicit output cap through the router with each try bounded by the time left,</li>
 * <li>and records the attempts with the call's usage and cost as soon as it returns.</li>
 * </ol>
 * A call is charged its actual cost at the release's prices, and never more than its bound: a
 * provider that reports more than it was allowed is charged the bound, logged as {@code usage_over_bound}.
 * Thread-safe: workflow blocks call in parallel.
 */
final class Meter {

    /** What a run may spend: its wallet hold, grown before a call that needs more. */
    interface Funds {

        /** The amount held now. */
        long held();

        /** Grows the hold to {@code total}; false, with nothing changed, when the wallet cannot cover it. */
        boolean extendTo(long total);

        Funds UNLIMITED = new Funds() {
            @Override
            public long held() {
                return Long.MAX_VALUE / 4;
            }

            @Override
            public boolean extendTo(long total) {
                return true;
            }
        };
    }

    /** The tokens a run holds in its tokens-per-minute windows, grown before a call that needs more. */
    interface Tokens {

        long held();

        /**
         * Grows what the run holds to {@code total} tokens.
         *
         * @throws GatewayException 429 {@code rate_limited} when a window cannot take them
         */
        void takeTo(long total);

        Tokens UNLIMITED = new Tokens() {
            @Override
            public long held() {
                return Long.MAX_VALUE / 4;
            }

            @Override
            public void takeTo(long total) {
            }
        };
    }

    /**
     * What the provider work of a run consumed: its charge comes from here, whatever its end state.
     * {@code callsCompleted} counts the calls of the run's own work, not its {@link #check checks}.
     */
    record Totals(long inputTokens, long outputTokens, long units, boolean estimated, long callsCompleted,
                  long costMicros) {
    }

    /** Writes one execution-log entry: step, name, provider, model, outcome, failure class, status, latency, detail. */
    interface LogSink {
        void add(String step, String name, String provider, String model, String outcome, String failureClass,
                 Integer httpStatus, long latencyMs, String detailJson);
    }

    private final Router router;
    private final Clock clock;
    private final long deadlineMillis;
    private final Funds funds;
    private final Tokens tokens;
    private final long perRunMicros;
    private final LogSink log;
    private long committed;
    private long committedTokens;
    private long consumed;
    private long inputTokens;
    private long outputTokens;
    private long units;
    private boolean estimated;
    private long callsCompleted;

    Meter(Router router, Clock clock, long deadlineMillis, Funds funds, Tokens tokens, long perRunMicros, LogSink log) {
        this.tokens = tokens;
        this.router = router;
        this.clock = clock;
        this.deadlineMillis = deadlineMillis;
        this.funds = funds;
        this.perRunMicros = perRunMicros;
        this.committed = perRunMicros;
        this.log = log;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    /**
     * One metered provider call over {@code release}'s routes.
     *
     * @param kind        how the release prices the call: {@link Kind#EMBEDDING} by item, any other by token
     * @param inputBound  an upper bound of the input tokens, computed before the call
     * @param outputCap   the output cap asked for (0 for calls without output tokens)
     * @param items       billable items (embeddings), else 0
     * @param op          the provider operation, given the output cap actually sent
     * @param usageOf     the usage the provider reported
     * @throws GatewayException {@code run_timeout} past the deadline, 402 {@code insufficient_funds} when
     *                          the wallet cannot pay for the call, or the router's failure
     */
    <T> Routed<T> call(Release release, Kind kind, long inputBound, long outputCap, long items,
                       LongFunction<BiFunction<Provider, Route, T>> op, Function<T, Usage> usageOf) {
        return call(release, release.pricing(), kind, inputBound, outputCap, items, op, usageOf);
    }

    /**
     * {@link #call} at prices other than the release's own: an image call is priced per image by the size and
     * quality asked for. For {@link Kind#IMAGE} {@code items} is the number of images asked for (held before the
     * call) and the call is charged for the images the usage reports, never more than asked for.
     */
    <T> Routed<T> call(Release release, Pricing p, Kind kind, long inputBound, long outputCap, long items,
                       LongFunction<BiFunction<Provider, Route, T>> op, Function<T, Usage> usageOf) {
        return call(release.routes(), p, kind, inputBound, outputCap, items, op, usageOf, false);
    }

    /**
     * A check made for the run besides its own work (e.g. a moderation of the input before an image call): one call
     * over {@code routes} at a flat {@code priceMicros}, held before the call and charged once a route answered,
     * whatever it answered; a call no route answered costs nothing. The check's units are not the run's (the run's
     * usage counts the items of its own work), and a run that ends after its checks, before any call of its own
     * work completed, is not charged the per-run price.
     */
    <T> Routed<T> check(List<RouteSpec> routes, long priceMicros, BiFunction<Provider, Route, T> op) {
        // priced as one item at the call's price: held up front, charged in full once a route answered
        Pricing perCall = new Pricing(0, 0, 0, 0, priceMicros);
        return call(routes, perCall, Kind.EMBEDDING, 0, 0, 1, cap -> op, r -> Usage.NONE, true);
    }

    private <T> Routed<T> call(List<RouteSpec> routes, Pricing p, Kind kind, long inputBound, long outputCap, long items,
                               LongFunction<BiFunction<Provider, Route, T>> op, Function<T, Usage> usageOf,
                               boolean check) {
        if (clock.millis() >= deadlineMillis) {
            throw runTimeout();
        }
        Hold h = hold(p, Pricer.callCost(p, kind, inputBound, 0, items), inputBound, outputCap);
        Routed<T> routed;
        try {
            routed = router.execute(routes(routes), deadlineMillis, op.apply(h.cap()));
        } catch (RoutingException e) {
            unhold(h);
            logAttempts(e.attempts(), null, h.cap(), 0);
            throw e;
        } catch (RuntimeException e) {
            unhold(h);
            throw e;
        }
        Usage u = usageOf.apply(routed.value());
        settle(routed.attempts(), u == null ? Usage.NONE : u, kind, p, items, inputBound, h, check);
        return routed;
    }

    /**
     * What one call holds before it starts: the output cap it sends, its cost bound, and its token bound.
     */
    private record Hold(long cap, long bound, long tokenBound) {
    }

    /**
     * Holds one call's worst case on the run's wallet and token holds, growing them as needed; when the
     * wallet cannot grow, the call sends the output cap the hold still pays for, or the run stops here.
     */
    private synchronized Hold hold(Pricing p, long inCost, long inputBound, long outputCap) {
        long cap = outputCap;
        long bound = inCost + Pricer.callCost(p, Kind.TEXT, 0, cap, 0);
        long need = committed + bound;
        if (funds.held() < need && !funds.extendTo(need)) {
            // the wallet cannot grow the hold: send the cap the hold still pays for, or stop here
            long affordable = Pricer.affordableOutputTokens(p, funds.held() - committed - inCost);
            if (funds.held() - committed - inCost < 0 || (outputCap > 0 && affordable < 1)) {
                throw BillingService.insufficientFunds(need - funds.held());
            }
            cap = Math.min(outputCap, affordable);
            bound = inCost + Pricer.callCost(p, Kind.TEXT, 0, cap, 0);
        }
        // tokens_per_minute holds the same bound: what the run used so far plus this call's worst case
        long tokenNeed = committedTokens + inputBound + cap;
        if (tokens.held() < tokenNeed) {
            tokens.takeTo(tokenNeed);
        }
        committed += bound;
        committedTokens += inputBound + cap;
        return new Hold(cap, bound, inputBound + cap);
    }

    /** A call that consumed nothing gives its hold back. */
    private synchronized void unhold(Hold h) {
        committed -= h.bound();
        committedTokens -= h.tokenBound();
    }

    /** Charges what the call consumed, never more than its bound, and logs a usage the bound did not cover. */
    private void settle(List<Attempt> attempts, Usage u, Kind kind, Pricing p, long items, long inputBound, Hold h,
                        boolean check) {
        long billed = Kind.IMAGE.equals(kind) ? Math.min(items, Math.max(0, u.units())) : items;
        long actual = Pricer.callCost(p, kind, u.inputTokens(), u.outputTokens(), billed);
        long charged = Math.min(actual, h.bound());
        synchronized (this) {
            committed -= h.bound() - charged;
            committedTokens -= h.tokenBound() - Math.min(h.tokenBound(), u.inputTokens() + u.outputTokens());
            consumed += charged;
            inputTokens += u.inputTokens();
            outputTokens += u.outputTokens();
            if (!check) {
                units += Kind.EMBEDDING.equals(kind) || Kind.IMAGE.equals(kind) ? billed : u.units();
                callsCompleted++;
            }
            estimated |= u.estimated();
        }
        logAttempts(attempts, u, h.cap(), charged);
        long sentCap = h.cap();
        if (actual > h.bound() || u.outputTokens() > sentCap && sentCap > 0 || u.inputTokens() > inputBound) {
            Attempt ok = attempts.getLast();
            log.add("usage_over_bound", ok.provider() + "/" + ok.model(), ok.provider(), ok.model(), "charged_bound",
                    null, null, 0, "{\"input_tokens\":" + u.inputTokens() + ",\"input_bound\":" + inputBound
                            + ",\"output_tokens\":" + u.outputTokens() + ",\"max_tokens\":" + sentCap
                            + ",\"cost_micros\":" + actual + ",\"charged_micros\":" + charged + "}");
        }
    }

    /**
     * What the run is charged: the cost of every completed provider call, plus the per-run price when
     * the run succeeded or consumed provider work. Never more than the hold.
     */
    synchronized Totals totals(boolean succeeded) {
        long cost = consumed + (succeeded || callsCompleted > 0 ? perRunMicros : 0);
        return new Totals(inputTokens, outputTokens, units, estimated, callsCompleted, cost);
    }

    GatewayException runTimeout() {
        return GatewayException.of(ErrorCategory.EXECUTION, "run_timeout",
                "the run did not finish within its timeout (options.timeout_ms, else the sum of its routes' timeouts)")
                .status(504).build();
    }

    private static List<Route> routes(List<RouteSpec> specs) {
        List<Route> routes = new ArrayList<>(specs.size());
        for (RouteSpec r : specs) {
            routes.add(new Route(r.provider(), r.model(), r.timeout()));
        }
        return routes;
    }

    private void logAttempts(List<Attempt> attempts, Usage usage, long cap, long charged) {
        for (Attempt a : attempts) {
            StringBuilder detail = new StringBuilder("{\"route_index\":").append(a.routeIndex())
                    .append(",\"try\":").append(a.tryNumber());
            if (a.outcome().equals(Attempt.FAILED) || a.ok()) {
                detail.append(",\"max_tokens\":").append(cap);
            }
            if (a.ok() && usage != null) {
                detail.append(",\"input_tokens\":").append(usage.inputTokens())
                        .append(",\"output_tokens\":").append(usage.outputTokens())
                        .append(",\"cost_micros\":").append(charged);
            }
            detail.append('}');
            log.add("provider_attempt", a.provider() + "/" + a.model(), a.provider(), a.model(), a.outcome(),
                    a.failureClass() == null ? null : a.failureClass().wireName(), a.httpStatus(), a.latencyMs(),
                    detail.toString());
        }
    }
}
