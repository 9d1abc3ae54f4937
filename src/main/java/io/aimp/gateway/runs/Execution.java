package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.logs.ExecutionLogEntry;
import io.aimp.gateway.providers.Attempt;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.Route;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Router;
import io.aimp.gateway.providers.RoutingException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything an executor may use for one run: the resolved model, release and mode, the validated
 * input, and provider access through the router. Every provider attempt and every step an executor
 * reports lands in the run's execution log.
 */
public final class Execution {

    private final String runId;
    private final Principal principal;
    private final PublishedModel model;
    private final Release release;
    private final Mode mode;
    private final ObjectNode input;
    private final ObjectNode params;
    private final String scope;
    private final Duration timeout;
    private final Router router;
    private final Clock clock;
    private final List<ExecutionLogEntry> log = new ArrayList<>();
    private final List<Runnable> onSuccess = new ArrayList<>();
    private final String requestId;

    Execution(String runId, Principal principal, PublishedModel model, Release release, Mode mode, ObjectNode input,
              ObjectNode params, String scope, Duration timeout, Router router, Clock clock, String requestId) {
        this.runId = runId;
        this.requestId = requestId;
        this.principal = principal;
        this.model = model;
        this.release = release;
        this.mode = mode;
        this.input = input;
        this.params = params;
        this.scope = scope;
        this.timeout = timeout;
        this.router = router;
        this.clock = clock;
    }

    public String runId() {
        return runId;
    }

    /** The request that started the run; nested runs carry it too. */
    public String requestId() {
        return requestId;
    }

    public Principal principal() {
        return principal;
    }

    public PublishedModel model() {
        return model;
    }

    public Release release() {
        return release;
    }

    public Mode mode() {
        return mode;
    }

    public ObjectNode input() {
        return input;
    }

    public ObjectNode params() {
        return params;
    }

    public String scope() {
        return scope;
    }

    /** The cap on the whole run (the caller's {@code timeout_ms}, else the sum of route timeouts). */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Calls the release's routes in fallback order until one answers, logging each attempt.
     * Each route's timeout is capped by the run's timeout.
     */
    public <T> Routed<T> route(BiFunction<Provider, Route, T> call) {
        List<Route> routes = new ArrayList<>();
        for (RouteSpec r : release.routes()) {
            Duration t = r.timeout() == null || r.timeout().compareTo(timeout) > 0 ? timeout : r.timeout();
            routes.add(new Route(r.provider(), r.model(), t));
        }
        try {
            Routed<T> routed = router.execute(routes, call);
            logAttempts(routed.attempts());
            return routed;
        } catch (RoutingException e) {
            logAttempts(e.attempts());
            throw e;
        }
    }

    /** Adds a step (workflow block, tool call, ...) to the execution log. Safe to call from several threads. */
    public synchronized void logStep(String step, String name, String outcome, long latencyMs, String detailJson) {
        log.add(new ExecutionLogEntry(Ids.newId("xlog"), runId, principal.workspaceId(), log.size() + 1, step, name, null,
                null, outcome, null, null, latencyMs, detailJson, clock.millis()));
    }

    /**
     * Registers writes that belong to a successful run (e.g. a conversation's new messages): they run
     * inside the transaction that commits the run's final state, usage and charges, and only when the
     * run succeeded. Throwing there rolls the whole commit back.
     */
    public void onSuccessfulCommit(Runnable write) {
        onSuccess.add(write);
    }

    List<Runnable> successWrites() {
        return onSuccess;
    }

    private synchronized void logAttempts(List<Attempt> attempts) {
        long now = clock.millis();
        for (Attempt a : attempts) {
            String detail = "{\"route_index\":" + a.routeIndex() + ",\"try\":" + a.tryNumber() + "}";
            log.add(new ExecutionLogEntry(Ids.newId("xlog"), runId, principal.workspaceId(), log.size() + 1,
                    "provider_attempt", a.provider() + "/" + a.model(), a.provider(), a.model(), a.outcome(),
                    a.failureClass() == null ? null : a.failureClass().wireName(), a.httpStatus(), a.latencyMs(),
                    detail, now));
        }
    }

    List<ExecutionLogEntry> log() {
        return log;
    }
}
