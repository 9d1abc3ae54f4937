package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.common.Times;
import java.time.Clock;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.idempotency.IdempotencyKeys;
import io.aimp.gateway.jobs.JobService;
import io.aimp.gateway.logs.LogService;
import io.aimp.gateway.storage.Database;
import java.time.Duration;
import java.util.function.Supplier;
import io.aimp.gateway.runs.RunService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The playground: side-by-side comparisons and evaluation suites for trusted roles, over the run pipeline.
 * Every run it makes is an ordinary run (permissions, limits, wallet, usage rows with {@code entry_point:
 * playground}) that is side-effect free: no saved content, no conversation, no vector change.
 */
@Service
public class PlaygroundService {

    /** The job mode of an asynchronous evaluation suite (a one-item bulk job, see {@link PlaygroundSuites}). */
    static final String SUITE_MODE = "playground.evaluation";
    static final String COMPARE_ROUTE = "POST /api/playground/compare";
    static final String EVALUATE_ROUTE = "POST /api/playground/evaluations";
    /** How long a request under an {@code Idempotency-Key} may take before its claim is taken as abandoned. */
    private static final Duration KEY_LEASE = Duration.ofMinutes(30);

    private final RunService runs;
    private final Evaluations evaluations;
    private final CatalogService catalog;
    private final ReleaseResultStore results;
    private final Clock clock;
    private final PlaygroundAccess access;
    private final IdempotencyKeys idempotency;
    private final JobService jobs;
    private final Database db;

    PlaygroundService(RunService runs, LogService logs, CatalogService catalog, ReleaseResultStore results, Clock clock,
                      PlaygroundAccess access, IdempotencyKeys idempotency, JobService jobs, Database db) {
        this.runs = runs;
        this.evaluations = new Evaluations(runs, logs);
        this.catalog = catalog;
        this.results = results;
        this.clock = clock;
        this.access = access;
        this.idempotency = idempotency;
        this.jobs = jobs;
        this.db = db;
        checkCatalogSuites();
    }

    /**
     * What a playground {@code POST} answered: its status (200, or 202 for a queued suite) and body; for a queued
     * suite its job id; {@code replayed} when it is the stored answer of an earlier request with the same
     * {@code Idempotency-Key}.
     */
    public record Answer(int status, Object body, String jobId, boolean replayed) {
    }

    /**
     * Under an {@code Idempotency-Key}, the rule of runs: the first request with the key does the work and its answer
     * is kept; the same key and body answer it again; another body is 422, and 409 while the first is in flight.
     */
    private Answer once(String route, Principal principal, String key, JsonNode body, Supplier<Map<String, Object>> work) {
        IdempotencyKeys.Claim claim = idempotency.claim(route, principal, key, body, KEY_LEASE);
        if (claim.replay().isPresent()) {
            IdempotencyKeys.Replay replay = claim.replay().get();
            return new Answer(replay.status(), replay.body(), replay.resourceId(), true);
        }
        Map<String, Object> view;
        try {
            view = work.get();
        } catch (RuntimeException e) {
            claim.release();
            throw e;
        }
        Map<String, Object> answer = view;
        if (claim.held()) {
            db.inTransaction(() -> claim.complete(200, answer, null));
        }
        return new Answer(200, answer, null, false);
    }

    /** Every suite in the catalog reads as an evaluation; a start with one that does not stops, naming each problem. */
    private void checkCatalogSuites() {
        List<String> problems = new ArrayList<>();
        for (PublishedModel m : catalog.all()) {
            if (m.tests() != null) {
                try {
                    PlaygroundRequests.evaluation(suiteBody(m, m.current().version(), null));
                } catch (GatewayException e) {
                    e.errors().forEach(x -> problems.add(m.source() + ": tests" + x.path().replaceFirst("^\\$", "")
                            + " " + x.message()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the catalog's evaluation suites are invalid (format: docs/playground.md):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** The evaluation request of {@code model}'s catalog suite against {@code release}. */
    private static ObjectNode suiteBody(PublishedModel model, String release, JsonNode options) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode target = body.putArray("targets").addObject();
        target.put("model", model.slug());
        target.put("release", release);
        body.set("cases", model.tests().get("cases"));
        if (model.tests().has("judge")) {
            body.set("judge", model.tests().get("judge"));
        }
        if (options != null) {
            body.set("options", options);
        }
        return body;
    }

    /**
     * Runs a suite of cases against 1 to 8 targets and reports per case pass or fail with the reasons, per target
     * the pass rate and cost, and the total cost (judge runs included). Runs one at a time, in order. With
     * {@code options.async: true} the suite is checked, queued as a one-item bulk job and answered 202 with the
     * location to poll ({@link #evaluation}).
     *
     * @throws GatewayException 403 without access to the playground, 400 for a malformed suite (every problem with its
     *                          path), 429 {@code too_many_jobs} for an async suite at the workspace's cap of running
     *                          jobs, the {@code Idempotency-Key}'s 409 and 422
     */
    public Answer evaluate(Principal principal, JsonNode body, String requestId, String idempotencyKey) {
        access.require(principal);
        if (!PlaygroundRequests.async(body)) {
            return once(EVALUATE_ROUTE, principal, idempotencyKey, body, () -> suite(principal, body, requestId));
        }
        // every problem of the suite is answered now, not when it runs
        if (body.has("model")) {
            resolve(principal, body);
        } else {
            PlaygroundRequests.evaluation(body);
        }
        JobService.Accepted queued = jobs.submit(principal, SUITE_MODE, body, requestId, EVALUATE_ROUTE, idempotencyKey,
                body, PlaygroundService::queuedView);
        return new Answer(202, queued.body(), queued.jobId(), queued.replayed());
    }

    /** The path an async suite is polled at. */
    static String location(String jobId) {
        return "/api/playground/evaluations/" + jobId;
    }

    private static Map<String, Object> queuedView(String jobId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", jobId);
        m.put("object", "playground.evaluation_job");
        m.put("status", "running");
        m.put("location", location(jobId));
        return m;
    }

    /**
     * An async suite's state: {@code running}, {@code completed} with the report the synchronous call answers,
     * {@code failed} with the problem that stopped it (e.g. the submitter lost access), or {@code canceled}.
     *
     * @throws GatewayException 403 without access to the playground, 404 for a suite the caller may not see
     */
    public Map<String, Object> evaluation(Principal principal, String id) {
        access.require(principal);
        JobService.WorkState w = jobs.work(principal, id, SUITE_MODE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("object", "playground.evaluation_job");
        m.put("status", "succeeded".equals(w.status()) ? "completed" : w.status());
        m.put("location", location(w.id()));
        m.put("created_at", Times.instant(w.createdAt()));
        m.put("completed_at", w.completedAt() == null ? null : Times.instant(w.completedAt()));
        m.put("report", w.output());
        m.put("problem", w.error());
        return m;
    }

    /** Runs a suite (sync, or as the job of an async one): its cases, or a model's catalog suite ({@code model}). */
    Map<String, Object> suite(Principal principal, JsonNode body, String requestId) {
        if (body != null && body.isObject() && body.has("model")) {
            return validateRelease(principal, body, requestId);
        }
        return evaluations.run(principal, PlaygroundRequests.evaluation(body), requestId);
    }

    /** Checks that {@code principal} may use the playground now (an async suite's submitter, when it runs). */
    void requireAccess(Principal principal) {
        access.require(principal);
    }

    /** The model and release a {@code {model, release?, options?}} request validates. */
    private record ReleaseSuite(PublishedModel model, Release release, JsonNode options) {
    }

    private ReleaseSuite resolve(Principal principal, JsonNode body) {
        PlaygroundRequests in = new PlaygroundRequests();
        ObjectNode root = in.root(body, Set.of("model", "release", "options"));
        String slug = in.string(root, "model", "$", true);
        String version = in.string(root, "release", "$", false);
        in.done("invalid_evaluation", "the evaluation request");
        PublishedModel model = catalog.find(slug).filter(m -> CatalogService.availableTo(principal, m))
                .orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST, "model_not_found",
                        "no published model '" + Printable.of(slug) + "' is available to this workspace")
                        .status(404).error("$.model", "unknown model").build());
        if (model.tests() == null) {
            throw GatewayException.invalidField("no_test_suite", "$.model", model.slug()
                    + " has no evaluation suite in the catalog (tests:); send targets and cases instead");
        }
        Release release = version == null ? model.current() : model.release(version).filter(r -> !r.retired())
                .orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST, "release_not_found",
                        model.slug() + " has no release " + Printable.of(version) + " that runs").status(404)
                        .error("$.release", "unknown or retired release").build());
        PlaygroundRequests.evaluation(suiteBody(model, release.version(), root.get("options")));
        return new ReleaseSuite(model, release, root.get("options"));
    }

    /**
     * {@code {model, release?}}: runs the model's catalog suite ({@code tests:}) against a release (default: the
     * current one), records the result as that release's last for the workspace (the marketplace shows it) unless
     * the wallet or a limit stopped it, and answers the report with the release it validated.
     */
    private Map<String, Object> validateRelease(Principal principal, JsonNode body, String requestId) {
        ReleaseSuite s = resolve(principal, body);
        PublishedModel model = s.model();
        Release release = s.release();
        Map<String, Object> report = evaluations.run(principal,
                PlaygroundRequests.evaluation(suiteBody(model, release.version(), s.options())), requestId);
        @SuppressWarnings("unchecked")
        Map<String, Object> target = ((List<Map<String, Object>>) report.get("targets")).getFirst();
        int cases = (Integer) target.get("cases");
        int passed = (Integer) target.get("passed");
        if ("completed".equals(report.get("status"))) {
            results.save(new ReleaseResultStore.ReleaseResult(principal.workspaceId(), model.id(), release.version(),
                    cases, passed, cases - passed,
                    Money.parseCredits((String) ((Map<?, ?>) target.get("cost")).get("credits")), principal.userId(),
                    clock.millis()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", report.get("object"));
        view.put("status", report.get("status"));
        view.put("model", model.slug());
        view.put("release", release.version());
        view.put("suite", "catalog");
        report.forEach(view::putIfAbsent);
        return view;
    }

    /** The marketplace's view of a release's last suite result. */
    static Map<String, Object> lastResultView(ReleaseResultStore.ReleaseResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cases", r.cases());
        m.put("passed", r.passed());
        m.put("failed", r.failed());
        m.put("pass_rate", r.cases() == 0 ? 0.0 : Math.round(r.passed() * 10_000.0 / r.cases()) / 10_000.0);
        m.put("cost", Map.of("credits", Money.format(r.costMicros())));
        m.put("evaluated_at", Times.instant(r.evaluatedAt()));
        return m;
    }

    /** What the marketplace detail shows of the caller's workspace's last suite runs, by release. */
    Map<String, Object> lastByRelease(Principal caller, PublishedModel model) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ReleaseResultStore.ReleaseResult r : results.last(caller.workspaceId(), model.id())) {
            out.put(r.releaseVersion(), lastResultView(r));
        }
        return out;
    }

    /**
     * Runs one input against 2 to 8 targets in parallel. Every target is admitted first (limits taken, the
     * wallet reserved for all of them), so a wallet that cannot cover every target refuses the whole
     * comparison before any provider call; after that, a target that fails is reported next to the others.
     *
     * @throws GatewayException 403 without access to the playground, 400 for a malformed request, the limit or
     *                          wallet refusal (402, 429) of any target, the {@code Idempotency-Key}'s 409 and 422
     */
    public Answer compare(Principal principal, JsonNode body, String requestId, String idempotencyKey) {
        access.require(principal);
        return once(COMPARE_ROUTE, principal, idempotencyKey, body, () -> compare(principal, body, requestId));
    }

    private Map<String, Object> compare(Principal principal, JsonNode body, String requestId) {
        PlaygroundRequests.Compare req = PlaygroundRequests.compare(body);
        int n = req.targets().size();
        List<RunService.Admitted> admitted = new ArrayList<>();
        GatewayException[] refused = new GatewayException[n];
        try {
            for (int i = 0; i < n; i++) {
                Target t = req.targets().get(i);
                try {
                    admitted.add(TargetRuns.admit(runs, principal, t,
                            TargetRuns.body(t, req.input(), null, req.scope(), req.timeoutMs()), requestId));
                } catch (GatewayException e) {
                    if (TargetRuns.stopsTheRequest(e)) {
                        throw e;
                    }
                    admitted.add(null);
                    refused[i] = e;
                }
            }
        } catch (RuntimeException e) {
            admitted.stream().filter(a -> a != null).forEach(runs::release);
            throw e;
        }
        List<TargetRuns.Outcome> outcomes = runAll(principal, req.targets(), admitted, refused);
        List<Object> results = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            results.add(outcomes.get(i).view(i));
            total += outcomes.get(i).costMicros();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "playground.comparison");
        view.put("results", results);
        view.put("succeeded", outcomes.stream().filter(TargetRuns.Outcome::succeeded).count());
        view.put("failed", outcomes.stream().filter(o -> !o.succeeded()).count());
        view.put("total_cost", Map.of("credits", Money.format(total)));
        return view;
    }

    /** Runs the admitted targets in parallel, one virtual thread each; a refused target is its refusal. */
    private List<TargetRuns.Outcome> runAll(Principal principal, List<Target> targets, List<RunService.Admitted> admitted,
                                            GatewayException[] refused) {
        List<Future<TargetRuns.Outcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                RunService.Admitted a = admitted.get(i);
                GatewayException r = refused[i];
                futures.add(pool.submit(() -> a == null ? new TargetRuns.Outcome(t, null, r, 0) : execute(runs, principal, t, a)));
            }
        }
        List<TargetRuns.Outcome> out = new ArrayList<>();
        for (Future<TargetRuns.Outcome> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the playground runs finished", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** Runs one admitted target; its failure is its result. */
    static TargetRuns.Outcome execute(RunService runs, Principal principal, Target t, RunService.Admitted a) {
        long start = System.nanoTime();
        try {
            RunService.RunOutcome o = runs.run(a);
            return new TargetRuns.Outcome(t, o.run(), null, latency(o.run().durationMs(), start));
        } catch (GatewayException e) {
            String runId = e.extensions().get("run_id") instanceof String id ? id : null;
            var failed = runId == null ? null : runs.get(principal, runId).run();
            return new TargetRuns.Outcome(t, failed, e, latency(failed == null ? null : failed.durationMs(), start));
        }
    }

    private static long latency(Long recorded, long startNanos) {
        return recorded != null ? recorded : (System.nanoTime() - startNanos) / 1_000_000;
    }
}
