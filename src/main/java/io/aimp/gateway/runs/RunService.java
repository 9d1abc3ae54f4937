package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.billing.Pricer;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.logs.ExecutionLogEntry;
import io.aimp.gateway.logs.LogStore;
import io.aimp.gateway.logs.UsageRecord;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.providers.Router;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.storage.GroupCommit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one path every execution takes (DESIGN §2): parse and validate, authorize, the hooks' before
 * stages (limits, idempotency, wallet), the executor for the kind with provider routing, then the
 * final state, usage record, execution log and the hooks' money moves committed together.
 */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    static final int MAX_LIST = 200;

    /**
     * Who asked and through which door.
     *
     * @param deadlineMillis the deadline of the run this one is nested in (epoch ms), or {@code null}:
     *                       a nested run ends by its parent's deadline too
     */
    public record Entry(String requestId, String entryPoint, String idempotencyKey, String parentRunId,
                        Long deadlineMillis, boolean sideEffectFree) {

        public Entry(String requestId, String entryPoint, String idempotencyKey, String parentRunId) {
            this(requestId, entryPoint, idempotencyKey, parentRunId, null, false);
        }

        public Entry(String requestId, String entryPoint, String idempotencyKey, String parentRunId,
                     Long deadlineMillis) {
            this(requestId, entryPoint, idempotencyKey, parentRunId, deadlineMillis, false);
        }
    }

    /** Attribute: the run keeps nothing behind ({@code Boolean}); see {@link Entry#sideEffectFree()}. */
    static final String SIDE_EFFECT_FREE = "runs.side_effect_free";

    /**
     * A synchronous run that was validated and admitted (its hooks' {@code before} ran: limits taken,
     * wallet reserved) but not executed yet. A caller that admits several runs together (a playground
     * comparison) either {@link #run runs} or {@link #release releases} each one.
     */
    public static final class Admitted {
        private final RunContext ctx;
        private final RunExecutor executor;
        private boolean done;

        private Admitted(RunContext ctx, RunExecutor executor) {
            this.ctx = ctx;
            this.executor = executor;
        }

        public String runId() {
            return ctx.runId();
        }
    }

    /** Attribute: the parent run's deadline ({@code Long} epoch ms) of a nested run. */
    static final String PARENT_DEADLINE = "runs.parent_deadline";

    /** What a submission answers: a run that was executed or queued now, or a stored earlier response. */
    public sealed interface Result permits RunOutcome, Replayed {
    }

    /**
     * The stored response of an earlier request with the same idempotency key.
     *
     * @param status the HTTP status first answered (200 or 202; failures are rethrown as their problem)
     * @param body   the response body first answered
     */
    public record Replayed(int status, JsonNode body, String runId) implements Result {
    }

    /** A run with the notice of its release's deprecation, if any. */
    public record RunOutcome(RunRecord run, String deprecation) implements Result {
        public Map<String, Object> view() {
            return RunViews.view(run, deprecation);
        }
    }

    private final CatalogService catalog;
    private final Router router;
    private final RunStore runs;
    private final LogStore logs;
    private final GroupCommit commits;
    private final List<RunHook> hooks;
    private final Map<Kind, RunExecutor> executors = new HashMap<>();
    private final MediaService media;
    private final Clock clock;
    private final Pricer pricer;
    private final RunMetrics metrics;
    private final Map<String, Thread> inFlight = new ConcurrentHashMap<>();
    private volatile Runnable asyncSignal = () -> { };
    static final int MAX_PENDING_BLOCKED = 10_000;
    private final java.util.concurrent.Semaphore pendingBlocked = new java.util.concurrent.Semaphore(MAX_PENDING_BLOCKED);

    RunService(CatalogService catalog, Router router, RunStore runs, LogStore logs, GroupCommit commits,
               List<RunHook> hooks, List<RunExecutor> executorList, MediaService media, Clock clock,
               Environment env, Pricer pricer, RunMetrics metrics) {
        this.pricer = pricer;
        this.metrics = metrics;
        this.catalog = catalog;
        this.router = router;
        this.runs = runs;
        this.logs = logs;
        this.commits = commits;
        this.hooks = hooks.stream().filter(h -> switchedOn(h, env)).toList();
        this.media = media;
        this.clock = clock;
        for (RunExecutor e : executorList) {
            if (executors.put(e.kind(), e) != null) {
                throw new IllegalStateException("two executors run kind " + e.kind());
            }
        }
        if (!executors.keySet().equals(catalog.kinds())) {
            // the catalog loads only the kinds it has settings for, so a kind needs both to be offered and run
            throw new IllegalStateException("each kind needs catalog settings (a KindSettings bean) and an executor (a "
                    + "RunExecutor bean): settings " + catalog.kinds() + ", executors " + executors.keySet());
        }
    }

    /**
     * Refuses the kind-dependent options ({@code dry_run}, {@code again}) of {@code options} that runs of
     * {@code model}'s kind do not honour: bulk jobs check them once, before any item is queued.
     *
     * @throws GatewayException 400 {@code invalid_option} naming the option
     */
    public void checkKindOptions(PublishedModel model, RunOptions.Parsed options) {
        RunExecutor executor = executors.get(model.kind());
        if (executor != null) {
            kindOptions(executor, model, options.dryRun(), options.again());
        }
    }

    private static void kindOptions(RunExecutor executor, PublishedModel model, boolean dryRun, boolean again) {
        for (String option : List.of(RunOptions.DRY_RUN, RunOptions.AGAIN)) {
            boolean asked = RunOptions.DRY_RUN.equals(option) ? dryRun : again;
            if (asked && !executor.options().contains(option)) {
                throw GatewayException.invalidField("invalid_option", "$.options." + option,
                        option + " is not an option of " + model.kind().wireName() + " runs");
            }
        }
    }

    /** A hook runs unless its switch is {@code false}; a value that is not a boolean stops start-up. */
    private static boolean switchedOn(RunHook hook, Environment env) {
        String property = hook.switchProperty();
        return property == null || Binder.get(env).bind(property, Boolean.class).orElse(true);
    }

    void onQueued(Runnable signal) {
        this.asyncSignal = signal;
    }

    /**
     * Validates, authorizes and executes a run (or queues it when {@code options.async} is true).
     *
     * @throws GatewayException for every refusal, and for a run that failed (with {@code run_id}); a
     *                          refusal by a limit or the wallet is written to the usage log
     */
    public Result submit(Principal principal, JsonNode body, Entry entry) {
        RunContext ctx = context(principal, body, entry, null, null);
        Optional<Replayed> replay = before(ctx);
        if (replay.isPresent()) {
            return replayed(replay.get());
        }
        if (ctx.request().async()) {
            try {
                return enqueue(ctx);
            } catch (RuntimeException e) {
                abort(ctx, hooks.size(), e);
                throw e;
            }
        }
        return execute(ctx, executors.get(ctx.model().kind()), newRecord(ctx, RunStatus.RUNNING), true);
    }

    /**
     * Validates and admits a synchronous run without executing it: every check and every hook's
     * {@code before} of {@link #submit} (limits, wallet). {@code overrides} replaces fields of the model's
     * kind block for this run only (see {@link CatalogService#withOverrides}); {@code overridesPath} names
     * them in problems.
     *
     * @throws GatewayException every refusal {@link #submit} answers; nothing stays reserved then
     */
    public Admitted admit(Principal principal, JsonNode body, Entry entry, JsonNode overrides, String overridesPath) {
        RunContext ctx = context(principal, body, entry, overrides, overridesPath);
        if (ctx.request().async() || entry.idempotencyKey() != null) {
            throw new IllegalArgumentException("an admitted run is synchronous and has no idempotency key");
        }
        if (before(ctx).isPresent()) {
            throw new IllegalStateException("a run without an idempotency key cannot be a replay");
        }
        return new Admitted(ctx, executors.get(ctx.model().kind()));
    }

    /**
     * Executes an admitted run; at most once.
     *
     * @throws GatewayException the problem of a run that failed (with {@code run_id})
     */
    public RunOutcome run(Admitted admitted) {
        synchronized (admitted) {
            if (admitted.done) {
                throw new IllegalStateException("run " + admitted.runId() + " was already run or released");
            }
            admitted.done = true;
        }
        return execute(admitted.ctx, admitted.executor, newRecord(admitted.ctx, RunStatus.RUNNING), true);
    }

    /** Gives back what an admitted run's hooks took, when it will not run after all. */
    public void release(Admitted admitted) {
        synchronized (admitted) {
            if (admitted.done) {
                return;
            }
            admitted.done = true;
        }
        abort(admitted.ctx, hooks.size(), null);
    }

    /** The run a request describes, once it is valid and the principal may run it; nothing is reserved yet. */
    private RunContext context(Principal principal, JsonNode body, Entry entry, JsonNode overrides, String overridesPath) {
        RunRequest req = RunRequestParser.parse(body);
        PublishedModel model = catalog.find(req.model()).filter(m -> m.visibleTo(principal.workspaceId()))
                .orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST, "model_not_found",
                        "no published model '" + Printable.of(req.model()) + "' is available to this workspace")
                        .status(404).error("$.model", "unknown model").build());
        authorize(principal, model);
        RunExecutor executor = executors.get(model.kind());
        if (executor == null) {
            throw GatewayException.of(ErrorCategory.CONFIGURATION, "kind_not_available",
                    "models of kind " + model.kind().wireName() + " cannot run on this gateway yet").build();
        }
        if (entry.sideEffectFree()) {
            // what cannot run without side effects is refused first, whatever else is wrong with the request
            model.mode(req.mode()).ifPresent(m -> executor.refuseSideEffects(m, req.params()));
        }
        Mode mode = validMode(principal, model, req);
        kindOptions(executor, model, req.dryRun(), req.again());
        Release release = release(model, req);
        if (overrides != null) {
            model = catalog.withOverrides(model, overrides, overridesPath);
        }
        String runId = Ids.newId("run");
        RunContext ctx = new RunContext(runId, principal, model, release, mode, req, entry.requestId(),
                entry.entryPoint(), entry.idempotencyKey(), entry.parentRunId(), null);
        if (entry.deadlineMillis() != null) {
            ctx.attributes().put(PARENT_DEADLINE, entry.deadlineMillis());
        }
        if (entry.sideEffectFree()) {
            ctx.attributes().put(SIDE_EFFECT_FREE, Boolean.TRUE);
        }
        return ctx;
    }

    /**
     * Runs every hook's {@code before} in order. A hook that answers with a replay, or refuses, undoes
     * what the hooks before it did; a refusal by a limit is written to the usage log.
     */
    private Optional<Replayed> before(RunContext ctx) {
        int ran = 0;
        try {
            for (RunHook h : hooks) {
                Optional<Replayed> replay = h.before(ctx);
                ran++;
                if (replay.isPresent()) {
                    abort(ctx, ran - 1, null);
                    return replay;
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            abort(ctx, ran, e);
            if (e instanceof GatewayException g && g.category() == ErrorCategory.LIMIT) {
                metrics.refused(ctx, g);
                logBlocked(ctx, g);
            }
            throw e;
        }
    }

    /**
     * The release a run uses: the one {@code options.release} pins, else the current one.
     *
     * @throws GatewayException 404 {@code release_not_found} for a version the model never had; 410
     *                          {@code release_retired}, naming the current release, for a retired one
     */
    private static Release release(PublishedModel model, RunRequest req) {
        if (req.release() == null) {
            return model.current();
        }
        Release r = model.release(req.release()).orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST,
                        "release_not_found", model.slug() + " has no release " + req.release() + "; its releases are: "
                                + String.join(", ", model.releases().stream().filter(x -> !x.retired()).map(Release::version).toList()))
                .status(404).error("$.options.release", "unknown release").build());
        if (r.retired()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "release_retired",
                            model.slug() + " " + r.version() + " is retired and no longer runs: " + r.deprecated()
                                    + "; the current release is " + model.current().version())
                    .status(410).with("release", r.version()).with("replacement", model.current().version())
                    .error("$.options.release", "retired; use " + model.current().version()).build();
        }
        return r;
    }

    /** The mode the request names, once its scope, input (media refs included) and params fit its contract. */
    private Mode validMode(Principal principal, PublishedModel model, RunRequest req) {
        Mode mode = model.mode(req.mode()).orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST,
                        "unknown_mode", "mode '" + Printable.of(req.mode()) + "' is not on the contract of " + model.slug()
                                + "; its modes are: " + String.join(", ", model.modes().keySet()))
                .error("$.mode", "one of: " + String.join(", ", model.modes().keySet())).build());
        if (mode.vector() && req.scope() == null) {
            throw GatewayException.invalidField("scope_required", "$.scope",
                    "mode " + mode.name() + " is vector-enabled: send scope, the vector namespace (e.g. \"test\"); "
                            + "index and search meet only within the same scope");
        }
        List<FieldError> errors = new ArrayList<>(mode.validateInput(req.input()));
        if (!errors.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_input",
                    "input does not match the contract of " + model.slug() + "/" + mode.name() + " ("
                            + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + ")").errors(errors).build();
        }
        media.resolveRefs(principal, req.input(), mode.inputSchema());
        errors.addAll(mode.validateParams(req.params()));
        if (!errors.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_params",
                    "params do not match the contract of " + model.slug() + "/" + mode.name() + " ("
                            + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + ")").errors(errors).build();
        }
        return mode;
    }

    /** The principal's right to run the model: its role and its key's model allowlist. */
    private static void authorize(Principal principal, PublishedModel model) {
        if (!principal.mayUseModel(model.slug(), model.id())) {
            throw GatewayException.of(ErrorCategory.PERMISSION, "model_not_allowed",
                    "this API key's model allowlist does not include " + model.slug()).error("$.model", "not allowed").build();
        }
        principal.require(Permission.RUN_MODELS);
    }

    private static Result replayed(Replayed r) {
        if (r.status() >= 400) {
            throw asProblem(r.body(), r.runId());
        }
        return r;
    }

    private void abort(RunContext ctx, int ran, RuntimeException cause) {
        for (int i = ran - 1; i >= 0; i--) {
            try {
                hooks.get(i).onAbort(ctx, cause);
            } catch (RuntimeException abortFailure) {
                log.warn("hook abort failed for run {}", ctx.runId(), abortFailure);
            }
        }
    }

    /**
     * A request refused by a limit or the wallet: one usage row with the reason, no run. The refusal
     * answers without waiting for this row's commit (it moves no money), so a flood of refused
     * requests stays cheap; past {@link #MAX_PENDING_BLOCKED} pending rows the caller waits.
     */
    private void logBlocked(RunContext ctx, GatewayException e) {
        Principal p = ctx.principal();
        long now = clock.millis();
        UsageRecord u = new UsageRecord(Ids.newId("use"), null, p.workspaceId(), p.type().wireName(), p.userId(),
                p.keyId(), p.keyPrefix(), ctx.model().id(), ctx.model().slug(), ctx.release().version(),
                ctx.mode().name(), ctx.model().kind().wireName(), null, null, 0, 0, 0, false, 0, "blocked", e.code(), 0,
                ctx.requestId(), ctx.entryPoint(), ctx.parentRunId(), now);
        Runnable write = () -> {
            try {
                commits.commit(() -> logs.insertUsage(u));
            } catch (RuntimeException logFailure) {
                log.warn("could not log a blocked request for run {}", ctx.runId(), logFailure);
            }
        };
        if (pendingBlocked.tryAcquire()) {
            Thread.ofVirtual().name("aimp-blocked-log").start(() -> {
                try {
                    write.run();
                } finally {
                    pendingBlocked.release();
                }
            });
        } else {
            write.run();
        }
    }

    private RunOutcome enqueue(RunContext ctx) {
        RunRecord queued = newRecord(ctx, RunStatus.QUEUED);
        commits.commit(() -> {
            runs.insert(queued);
            for (int i = hooks.size() - 1; i >= 0; i--) {
                hooks.get(i).inCommit(ctx, queued);
            }
        });
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).afterCommit(ctx, queued);
            } catch (RuntimeException e) {
                log.warn("hook after-commit failed for run {}", ctx.runId(), e);
            }
        }
        asyncSignal.run();
        return new RunOutcome(queued, ctx.release().deprecated());
    }

    /**
     * Executes a run claimed by the async worker (already {@code running} in the store) as its submitter
     * is now: {@code submitter} re-reads the principal, which is authorized again before any hook
     * reserves anything. A refusal fails the run and charges nothing; a hook that defers the start
     * puts the run back in the queue.
     */
    void executeQueued(RunRecord claimed, Supplier<Principal> submitter) {
        Principal attributed = attributionOf(claimed);
        Optional<PublishedModel> model = catalog.find(claimed.modelId());
        RunRequest req;
        try {
            req = RunRequestParser.parse(rebuildBody(claimed));
        } catch (GatewayException e) {
            req = null;
        }
        if (model.isEmpty() || req == null || model.get().mode(claimed.mode()).isEmpty()
                || model.get().release(claimed.releaseVersion()).filter(r -> !r.retired()).isEmpty()
                || !executors.containsKey(model.get().kind())) {
            GatewayException gone = GatewayException.of(ErrorCategory.CONFIGURATION, "model_unavailable",
                    "the model, mode or release of this queued run is no longer published (or the release was retired)").build();
            finish(new RunContext(claimed.id(), attributed, model.orElse(null), null, null, req, claimed.requestId(),
                    claimed.entryPoint(), null, claimed.parentRunId(), null), claimed, failed(claimed, gone, null), List.of(), List.of(),
                    false);
            return;
        }
        PublishedModel m = model.get();
        Principal principal;
        try {
            principal = submitter.get();
            authorize(principal, m);
        } catch (GatewayException refused) {
            // the submitter lost the right to this run while it was queued: nothing is reserved or executed
            finish(queuedContext(claimed, attributed, m, req), claimed, failed(claimed, refused, null), List.of(), List.of(), false);
            return;
        }
        RunContext ctx = queuedContext(claimed, principal, m, req);
        int ran = 0;
        try {
            for (RunHook h : hooks) {
                h.beforeQueuedStart(ctx);
                ran++;
            }
        } catch (RunDeferred later) {
            abort(ctx, ran, later);
            if (!runs.defer(claimed.id(), clock.millis() + later.delayMillis())) {
                // canceled while this node held it: it never started, so its end is recorded here
                endCanceledUnstarted(claimed.id());
            }
            return;
        } catch (GatewayException refused) {
            // e.g. a dry wallet: the run fails with the refusal; hooks that reserved release in inCommit
            finish(ctx, claimed, failed(claimed, refused, null), List.of(), List.of(), false);
            return;
        }
        execute(ctx, executors.get(m.kind()), claimed, false);
    }

    private static RunContext queuedContext(RunRecord claimed, Principal principal, PublishedModel m, RunRequest req) {
        return new RunContext(claimed.id(), principal, m, m.release(claimed.releaseVersion()).get(),
                m.mode(claimed.mode()).get(), req, claimed.requestId(), claimed.entryPoint(), null, claimed.parentRunId(), null);
    }

    /** Who submitted a stored run, with no rights: only to attribute a run that fails before it starts. */
    private static Principal attributionOf(RunRecord r) {
        return new Principal("user".equals(r.principalType()) ? Principal.Type.USER : Principal.Type.API_KEY,
                r.workspaceId(), r.userId(), r.keyId(), r.keyPrefix(), Role.VIEWER, Set.of());
    }

    private JsonNode rebuildBody(RunRecord r) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", r.modelId());
        body.put("mode", r.mode());
        if (r.scope() != null) {
            body.put("scope", r.scope());
        }
        body.set("input", r.input() == null ? JsonNodeFactory.instance.objectNode() : r.input());
        body.set("params", r.params() == null ? JsonNodeFactory.instance.objectNode() : r.params());
        if (r.options() != null) {
            ObjectNode opts = (ObjectNode) r.options().deepCopy();
            opts.remove("async");
            body.set("options", opts);
        }
        return body;
    }

    private RunOutcome execute(RunContext ctx, RunExecutor executor, RunRecord running, boolean sync) {
        Duration timeout = runTimeout(ctx);
        // one absolute deadline for the whole run: retries, fallbacks, steps, tools and nested runs
        long deadline = clock.millis() + timeout.toMillis();
        if (ctx.attributes().get(PARENT_DEADLINE) instanceof Long parent) {
            deadline = Math.min(deadline, parent);
        }
        Meter.Funds funds = ctx.attributes().get(WalletStage.FUNDS) instanceof Meter.Funds f ? f : Meter.Funds.UNLIMITED;
        Meter.Tokens tokens = ctx.attributes().get(LimitsStage.TOKENS) instanceof Meter.Tokens t ? t : Meter.Tokens.UNLIMITED;
        Execution execution = new Execution(ctx.runId(), ctx.principal(), ctx.model(), ctx.release(), ctx.mode(),
                ctx.request().input(), ctx.request().params(), ctx.request().scope(), timeout, funds, tokens, deadline, router,
                pricer, clock, ctx.requestId(), ctx.request().dryRun(), ctx.request().again(),
                Boolean.TRUE.equals(ctx.attributes().get(SIDE_EFFECT_FREE)));
        RunRecord finished;
        inFlight.put(ctx.runId(), Thread.currentThread());
        try {
            ExecutionResult result = executor.execute(execution);
            finished = succeeded(ctx, running, result, execution.meter().totals(true));
        } catch (GatewayException e) {
            finished = failed(running, e, execution.meter().totals(false));
        } catch (RuntimeException e) {
            log.error("executor for {} failed unexpectedly on run {}", ctx.model().kind().wireName(), ctx.runId(), e);
            finished = failed(running, internal(), execution.meter().totals(false));
        } finally {
            inFlight.remove(ctx.runId());
            Thread.interrupted(); // a cancel may have interrupted the provider call; do not leak it into the commit
        }
        RunRecord committed = finish(ctx, running, finished, execution.log(), execution.successWrites(), sync);
        if (sync && committed.status() == RunStatus.FAILED) {
            throw asProblem(committed);
        }
        return new RunOutcome(committed, ctx.release().deprecated());
    }

    /**
     * Commits the final state, the usage record, the execution log and the hooks' money moves in one
     * transaction (batched with other runs'). A run canceled meanwhile is recorded as canceled and
     * charged what its provider work consumed until then.
     */
    private RunRecord finish(RunContext ctx, RunRecord running, RunRecord ended, List<ExecutionLogEntry> steps,
                             List<Runnable> successWrites, boolean sync) {
        RunRecord finished = ended.forStorage(); // persist:false: no input is stored, whatever the end state
        RunRecord[] result = {finished};
        // serialised here, on the caller's thread: the single writer only executes the statements
        Runnable insertRun = sync ? runs.insertion(finished) : null;
        Runnable insertUsage = logs.usageInsertion(usageOf(finished));
        Runnable insertSteps = steps.isEmpty() ? null : logs.executionLogsInsertion(steps);
        try {
            commits.commit(() -> {
                RunRecord record = finished;
                boolean written;
                if (sync) {
                    insertRun.run();
                    written = true;
                } else {
                    written = runs.finish(record);
                }
                if (written) {
                    insertUsage.run();
                } else {
                    record = canceled(running, finished).forStorage();
                    logs.insertUsage(usageOf(record));
                }
                result[0] = record;
                if (insertSteps != null) {
                    insertSteps.run();
                }
                if (record.status() == RunStatus.SUCCEEDED) {
                    successWrites.forEach(Runnable::run);
                }
                for (int i = hooks.size() - 1; i >= 0; i--) {
                    hooks.get(i).inCommit(ctx, record);
                }
            });
        } catch (RuntimeException e) {
            for (int i = hooks.size() - 1; i >= 0; i--) {
                try {
                    hooks.get(i).onAbort(ctx, e);
                } catch (RuntimeException abortFailure) {
                    log.warn("hook abort failed for run {}", ctx.runId(), abortFailure);
                }
            }
            throw e;
        }
        metrics.ended(result[0]);
        for (int i = hooks.size() - 1; i >= 0; i--) {
            try {
                hooks.get(i).afterCommit(ctx, result[0]);
            } catch (RuntimeException e) {
                log.warn("hook after-commit failed for run {}", ctx.runId(), e);
            }
        }
        return result[0];
    }

    /**
     * Fails the runs left running by a process that died (lease ended before {@code leaseBefore}),
     * with their usage records and the hooks' writes for an end (their {@code run.completed} events),
     * in one transaction. Returns how many.
     */
    int failAbandoned(long leaseBefore, String errorJson) {
        List<RunRecord> failed = new ArrayList<>();
        commits.commit(() -> {
            failed.clear(); // a unit may run again after its batch failed
            long now = clock.millis();
            for (String id : runs.failAbandoned(leaseBefore, now, errorJson)) {
                runs.findById(id).ifPresent(r -> {
                    endedWithoutExecution(r);
                    failed.add(r);
                });
            }
        });
        failed.forEach(metrics::ended);
        return failed.size();
    }

    /**
     * Writes, in the caller's unit of work, what the end of a run no execution on this node finished
     * commits with its state: its usage record (every run has exactly one) and the hooks'
     * {@link RunHook#inCommitWithoutExecution} (e.g. its {@code run.completed} event).
     */
    private void endedWithoutExecution(RunRecord ended) {
        logs.insertUsage(usageOf(ended));
        for (int i = hooks.size() - 1; i >= 0; i--) {
            hooks.get(i).inCommitWithoutExecution(ended);
        }
    }

    /** Records the end of a run canceled while this node held it before it started (it found no free slot). */
    private void endCanceledUnstarted(String id) {
        RunRecord[] ended = {null};
        commits.commit(() -> {
            ended[0] = runs.findById(id).filter(r -> r.status() == RunStatus.CANCELED).orElse(null);
            if (ended[0] != null) {
                endedWithoutExecution(ended[0]);
            }
        });
        if (ended[0] != null) {
            metrics.ended(ended[0]);
        }
    }

    public RunOutcome get(Principal principal, String id) {
        principal.require(Permission.VIEW_OWN_RUNS);
        RunRecord r = runs.find(principal.workspaceId(), id)
                .filter(run -> visible(principal, run))
                .orElseThrow(() -> GatewayException.notFound("run " + Printable.of(id)));
        return new RunOutcome(r, deprecationOf(r));
    }

    public List<RunOutcome> list(Principal principal, String model, String mode, String status, Long from, Long to,
                                 int limit, int offset) {
        principal.require(Permission.VIEW_OWN_RUNS);
        if (limit < 1 || limit > MAX_LIST) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_LIST);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
        RunStatus st = null;
        if (status != null) {
            st = RunStatus.parse(status);
            if (st == null) {
                throw GatewayException.invalidField("invalid_parameter", "status",
                        "status must be one of queued, running, succeeded, failed, canceled");
            }
        }
        String ownUser = principal.can(Permission.VIEW_ALL_LOGS) ? null : principal.userId();
        return runs.list(new RunStore.RunQuery(principal.workspaceId(), ownUser, principal.models(), model, mode, st, from, to, limit, offset))
                .stream().map(r -> new RunOutcome(r, deprecationOf(r))).toList();
    }

    /** Cancels a queued or running run; a terminal run answers 409. */
    public RunOutcome cancel(Principal principal, String id) {
        principal.require(Permission.RUN_MODELS);
        Thread local = inFlight.get(id);
        RunRecord r = runs.find(principal.workspaceId(), id).filter(run -> visible(principal, run)).orElse(null);
        if (r == null && local != null) {
            // a synchronous run in flight on this node: interrupt its provider call; it commits as canceled
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "run_in_progress",
                    "this synchronous run is still executing; its caller receives the result").status(409).build();
        }
        if (r == null) {
            throw GatewayException.notFound("run " + Printable.of(id));
        }
        if (r.status().terminal()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "run_not_cancelable",
                    "the run is already " + r.status().wireName()).status(409).build();
        }
        long now = clock.millis();
        RunStatus[] left = {null};
        RunRecord[] ended = {null};
        commits.commit(() -> {
            ended[0] = null; // a unit may run again after its batch failed
            left[0] = runs.cancel(principal.workspaceId(), id, now).orElse(null);
            if (left[0] == RunStatus.QUEUED) {
                // never started: its (empty) usage, so every run has exactly one usage row, and its end's
                // events commit with the cancel; a running run's executor records its end instead
                ended[0] = runs.find(principal.workspaceId(), id).orElseThrow();
                endedWithoutExecution(ended[0]);
            }
        });
        if (left[0] == RunStatus.RUNNING && local != null) {
            local.interrupt();
        }
        if (ended[0] != null) {
            metrics.ended(ended[0]);
        }
        return get(principal, id);
    }

    /** Reads through a key with a model allowlist see only runs of those models. */
    private boolean visible(Principal principal, RunRecord run) {
        return (principal.can(Permission.VIEW_ALL_LOGS) || principal.userId().equals(run.userId()))
                && principal.mayUseModel(run.modelSlug(), run.modelId());
    }

    /** The release a run used, while the catalog still publishes it. */
    Optional<Release> releaseOf(RunRecord r) {
        return catalog.find(r.modelId()).flatMap(m -> m.release(r.releaseVersion()));
    }

    private String deprecationOf(RunRecord r) {
        return catalog.find(r.modelId()).flatMap(m -> m.release(r.releaseVersion())).map(Release::deprecated).orElse(null);
    }

    /** The cap on the whole run: the caller's {@code timeout_ms}, else the sum of its routes' timeouts. */
    static Duration runTimeout(RunContext ctx) {
        if (ctx.request().timeoutMs() != null) {
            return Duration.ofMillis(ctx.request().timeoutMs());
        }
        Duration sum = Duration.ZERO;
        for (RouteSpec r : ctx.release().routes()) {
            sum = sum.plus(r.timeout());
        }
        return sum.isZero() ? Duration.ofSeconds(60) : sum;
    }

    private RunRecord newRecord(RunContext ctx, RunStatus status) {
        RunRequest req = ctx.request();
        Principal p = ctx.principal();
        long now = clock.millis();
        return RunRecord.builder().id(ctx.runId()).workspaceId(p.workspaceId()).modelId(ctx.model().id())
                .modelSlug(ctx.model().slug()).releaseVersion(ctx.release().version()).mode(ctx.mode().name())
                .kind(ctx.model().kind().wireName()).scope(req.scope()).status(status).input(req.input())
                .params(req.params()).options(req.options()).principalType(p.type().wireName()).userId(p.userId())
                .keyId(p.keyId()).keyPrefix(p.keyPrefix()).requestId(ctx.requestId()).entryPoint(ctx.entryPoint())
                .parentRunId(ctx.parentRunId())
                .leaseUntil(status == RunStatus.QUEUED ? null : now + runTimeout(ctx).toMillis() + 60_000)
                .createdAt(now).startedAt(status == RunStatus.RUNNING ? now : null).build();
    }

    /** The run's charge is what its provider work consumed (the meter's totals), never the executor's say-so. */
    private RunRecord succeeded(RunContext ctx, RunRecord r, ExecutionResult result, Meter.Totals t) {
        return ended(r, RunStatus.SUCCEEDED).output(result.output())
                .usage(t.inputTokens(), t.outputTokens(), t.units(), t.estimated(), t.costMicros())
                .provider(result.provider()).providerModel(result.providerModel()).build();
    }

    /** A failed run still pays for the provider work it consumed ({@code t}; {@code null}: none). */
    private RunRecord failed(RunRecord r, GatewayException e, Meter.Totals t) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", e.code());
        error.put("category", e.category().wireName());
        error.put("status", e.status());
        error.put("detail", e.detail());
        e.extensions().forEach((k, v) -> error.set(k, toNode(v)));
        if (!e.errors().isEmpty()) {
            var errors = error.putArray("errors");
            e.errors().forEach(x -> errors.addObject().put("path", x.path()).put("message", x.message()));
        }
        Meter.Totals u = t == null ? new Meter.Totals(0, 0, 0, false, 0, 0) : t;
        return ended(r, RunStatus.FAILED).error(error)
                .usage(u.inputTokens(), u.outputTokens(), u.units(), u.estimated(), u.costMicros()).build();
    }

    /** Plain values (maps, lists, strings, numbers, booleans) as JSON, for problem extensions. */
    static JsonNode toNode(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, val) -> o.set(String.valueOf(k), toNode(val)));
            return o;
        } else if (v instanceof Iterable<?> it) {
            var a = f.arrayNode();
            it.forEach(x -> a.add(toNode(x)));
            return a;
        } else if (v instanceof Integer i) {
            return f.numberNode(i);
        } else if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof JsonNode n) {
            return n;
        }
        return f.stringNode(String.valueOf(v));
    }

    /** Canceled while it ran: no output, but the usage and cost its provider work consumed ({@code done}). */
    private RunRecord canceled(RunRecord r, RunRecord done) {
        return ended(r, RunStatus.CANCELED)
                .usage(done.inputTokens(), done.outputTokens(), done.units(), done.usageEstimated(), done.costMicros())
                .provider(done.provider()).providerModel(done.providerModel()).build();
    }

    /** {@code r} ended now in {@code status}, its lease dropped and no output, error, usage or provider yet. */
    private RunRecord.Builder ended(RunRecord r, RunStatus status) {
        return r.toBuilder().status(status).output(null).error(null).usage(0, 0, 0, false, 0).provider(null)
                .providerModel(null).leaseUntil(null).completedAt(clock.millis());
    }

    private UsageRecord usageOf(RunRecord r) {
        long started = r.startedAt() != null ? r.startedAt() : r.createdAt();
        long completed = r.completedAt() != null ? r.completedAt() : clock.millis();
        String errorCode = r.error() != null && r.error().has("code") ? r.error().get("code").asString() : null;
        return new UsageRecord(Ids.newId("use"), r.id(), r.workspaceId(), r.principalType(), r.userId(), r.keyId(),
                r.keyPrefix(), r.modelId(), r.modelSlug(), r.releaseVersion(), r.mode(), r.kind(), r.provider(),
                r.providerModel(), r.inputTokens(), r.outputTokens(), r.units(), r.usageEstimated(), r.costMicros(),
                r.status().wireName(), errorCode, completed - started, r.requestId(), r.entryPoint(), r.parentRunId(),
                completed);
    }

    private static GatewayException asProblem(RunRecord r) {
        return asProblem(r.error(), r.id());
    }

    /** The problem of a failed run, from its stored error document. */
    private static final Set<String> STORED_PROBLEM_FIELDS = Set.of("code", "category", "status", "detail", "errors", "run_id");

    static GatewayException asProblem(JsonNode e, String runId) {
        ErrorCategory category = ErrorCategory.EXECUTION;
        for (ErrorCategory c : ErrorCategory.values()) {
            if (c.wireName().equals(e.path("category").asString())) {
                category = c;
            }
        }
        GatewayException.Builder b = GatewayException.of(category, e.path("code").asString(), e.path("detail").asString())
                .status(e.path("status").asInt(category.defaultStatus()))
                .with("run_id", runId);
        // the failure as the executor raised it: its field errors and extensions (attempts, block, flags ...)
        for (String field : e.propertyNames()) {
            if (field.equals("errors") && e.get(field).isArray()) {
                List<FieldError> errors = new ArrayList<>();
                e.get(field).forEach(x -> errors.add(new FieldError(x.path("path").asString(), x.path("message").asString())));
                b.errors(errors);
            } else if (!STORED_PROBLEM_FIELDS.contains(field)) {
                b.with(field, e.get(field));
            }
        }
        return b.build();
    }

    private static GatewayException internal() {
        return GatewayException.of(ErrorCategory.EXECUTION, "internal_error",
                "the run failed inside the gateway").status(500).build();
    }
}
