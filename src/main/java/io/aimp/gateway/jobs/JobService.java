package io.aimp.gateway.jobs;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.idempotency.IdempotencyKeys;
import io.aimp.gateway.runs.RunOptions;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.GroupCommit;
import io.aimp.gateway.webhooks.WebhookService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bulk jobs: many inputs for one model and mode, each item an ordinary run through the whole
 * pipeline (permissions, limits, wallet, logs) with its own idempotency key {@code job:<job_id>:<index>}.
 * Caps are refused with a problem that names them, never applied by truncating.
 */
@Service
public class JobService {

    static final int MAX_PAGE = 200;
    private static final int MAX_ERRORS = 50;
    private static final String INPUT_PATH = "$.input";
    private static final Set<String> FIELDS = Set.of("model", "mode", "items", "params", "options");
    private static final Set<String> OPTIONS = Set.of("timeout_ms", "persist", RunOptions.DRY_RUN, RunOptions.AGAIN);
    /** Creating a job commits within this; a claim older than it (plus a minute) was left by a process that died. */
    private static final Duration CREATE_LEASE = Duration.ofSeconds(30);

    private final JobStore store;
    private final WebhookService webhooks;
    private final CatalogService catalog;
    private final JobProperties properties;
    private final Clock clock;
    private final Database db;
    private final IdempotencyKeys idempotency;
    private final RunService runs;
    private final GroupCommit commits;
    private volatile Runnable signal = () -> { };

    JobService(JobStore store, CatalogService catalog, JobProperties properties, Clock clock, Database db,
               IdempotencyKeys idempotency, WebhookService webhooks, RunService runs, GroupCommit commits) {
        this.store = store;
        this.commits = commits;
        this.webhooks = webhooks;
        this.runs = runs;
        this.db = db;
        this.idempotency = idempotency;
        this.catalog = catalog;
        this.properties = properties;
        this.clock = clock;
    }

    /** Publishes {@code job.completed} with the job as it ended (after the move to its end state committed). */
    void ended(String jobId) {
        store.findById(jobId).filter(j -> j.status() != JobStatus.RUNNING)
                .ifPresent(job -> webhooks.publish(job.workspaceId(), JobWebhooks.COMPLETED, view(job)));
    }

    /** {@link JobStore#completeIfDone} and, when the job ended by it, its {@code job.completed} event. */
    void completeIfDone(String jobId) {
        // in the group commit, as the runner's item changes are (see JobRunner#write); conditional, so repeatable
        boolean[] completed = {false};
        commits.commit(() -> completed[0] = store.completeIfDone(jobId, clock.millis()));
        if (completed[0]) {
            ended(jobId);
        }
    }

    void onCreated(Runnable wake) {
        this.signal = wake;
    }

    /** What creating a job answered; {@code replayed} when it is the stored answer of an earlier request with the key. */
    public record Accepted(Object body, String jobId, boolean replayed) {
    }

    /**
     * Accepts a job and queues its items. Under an {@code Idempotency-Key} a retried request with the
     * same key and body creates the job once and answers the first response again; the key's response
     * commits with the job.
     */
    public Accepted create(Principal principal, JsonNode body, String requestId, String idempotencyKey) {
        principal.require(Permission.RUN_MODELS);
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid("invalid_body", "the request body must be a JSON object {model, mode, items, params, options}");
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw GatewayException.invalidField("unknown_field", "$." + name.replaceAll("[^A-Za-z0-9_]", "?"),
                        "unknown field; allowed fields: model, mode, items, params, options");
            }
        }
        JsonNode modelRef = body.get("model");
        if (modelRef == null || !modelRef.isString()) {
            throw GatewayException.invalidField("missing_model", "$.model", "model is required: a published model slug or id");
        }
        PublishedModel model = catalog.find(modelRef.stringValue()).filter(m -> m.visibleTo(principal.workspaceId()))
                .orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST, "model_not_found",
                        "no published model with this slug or id is available to this workspace").status(404)
                        .error("$.model", "unknown model").build());
        if (!principal.mayUseModel(model.slug(), model.id())) {
            throw GatewayException.of(ErrorCategory.PERMISSION, "model_not_allowed",
                    "this API key's model allowlist does not include " + model.slug()).error("$.model", "not allowed").build();
        }
        String mode = body.path("mode").isString() ? body.get("mode").stringValue() : "execute";
        Mode contract = model.mode(mode).orElseThrow(() -> GatewayException.invalidField("unknown_mode", "$.mode",
                "mode is not on the contract of " + model.slug() + "; its modes are: " + String.join(", ", model.modes().keySet())));
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw GatewayException.invalidField("missing_items", "$.items", "items is required: a list of input objects");
        }
        if (items.size() > properties.maxItems()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "too_many_items",
                            "a job may carry at most " + properties.maxItems() + " items (aimp.jobs.max-items); this one has "
                                    + items.size() + ": split it into several jobs")
                    .error("$.items", "at most " + properties.maxItems() + " items").with("max_items", properties.maxItems())
                    .build();
        }
        List<JsonNode> inputs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw GatewayException.invalidField("item_not_object", "$.items[" + i + "]", "each item must be an input object");
            }
            inputs.add(items.get(i));
        }
        JsonNode params = body.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw GatewayException.invalidField("params_not_object", "$.params", "params must be a JSON object");
        }
        validate(model, contract, inputs, params);
        JsonNode options = body.get("options");
        // the same names, types and ranges as a run's options (one owner of the rule)
        RunOptions.Parsed parsed = RunOptions.parse(options, OPTIONS,
                "allowed job options: timeout_ms, persist, dry_run, again (items always run in the background)");
        runs.checkKindOptions(model, parsed);
        long now = clock.millis();
        JobRecord job = new JobRecord(Ids.newId("job"), principal.workspaceId(), model.id(), model.slug(), mode,
                params == null || params.isNull() ? JsonNodeFactory.instance.objectNode() : params,
                options == null || options.isNull() ? JsonNodeFactory.instance.objectNode() : options,
                JobStatus.RUNNING, inputs.size(), principal.type().wireName(), principal.userId(), principal.keyId(),
                principal.keyPrefix(), principal.role().wireName(), requestId, now, now, null);
        return queue(principal, job, inputs, "POST /api/jobs", idempotencyKey, body, id -> view(job));
    }

    /**
     * Queues {@code input} as a one-item job of another feature's {@link JobWork} ({@code mode}), under the same
     * per-workspace cap of running jobs as bulk jobs and the same {@code Idempotency-Key} rule: a retried request with
     * the same key and body queues the work once and answers the first response again.
     *
     * @param route  the route the key is scoped to, e.g. {@code POST /api/playground/evaluations}
     * @param body   the request as sent (what the key's body check compares)
     * @param answer the 202 body for the new job's id (stored with the key, so a replay answers it again)
     * @throws GatewayException 429 {@code too_many_jobs} at the cap; the key's 409 and 422
     */
    public Accepted submit(Principal principal, String mode, JsonNode input, String requestId, String route,
                           String idempotencyKey, JsonNode body, java.util.function.Function<String, Object> answer) {
        long now = clock.millis();
        JobRecord job = new JobRecord(Ids.newId("job"), principal.workspaceId(), mode, mode, mode,
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), JobStatus.RUNNING, 1,
                principal.type().wireName(), principal.userId(), principal.keyId(), principal.keyPrefix(),
                principal.role().wireName(), requestId, now, now, null);
        return queue(principal, job, List.of(input), route, idempotencyKey, body, answer);
    }

    /**
     * Inserts {@code job} with its items under the per-workspace cap of running jobs, once per {@code Idempotency-Key}:
     * a replay answers the stored 202 body; the new job's answer is stored with the key in the same transaction.
     */
    private Accepted queue(Principal principal, JobRecord job, List<JsonNode> inputs, String route, String idempotencyKey,
                           JsonNode body, java.util.function.Function<String, Object> answer) {
        IdempotencyKeys.Claim claim = idempotency.claim(route, principal, idempotencyKey, body, CREATE_LEASE);
        if (claim.replay().isPresent()) {
            IdempotencyKeys.Replay replay = claim.replay().get();
            return new Accepted(replay.body(), replay.resourceId(), true);
        }
        Object view;
        try {
            view = db.inTransaction(() -> {
                if (!store.insert(job, inputs, properties.maxInFlightPerWorkspace())) {
                    throw tooManyJobs();
                }
                Object v = answer.apply(job.id());
                claim.complete(202, v, job.id());
                return v;
            });
        } catch (RuntimeException e) {
            claim.release();
            throw e;
        }
        signal.run();
        return new Accepted(view, job.id(), false);
    }

    /**
     * The state of a job of {@link JobWork} {@code mode} the caller may see (its own, or any of the workspace's for
     * those who may read all logs): {@code running}, {@code succeeded} (with the work's output), {@code failed} (with
     * its error) or {@code canceled}.
     *
     * @throws GatewayException 404 for a job the caller may not see or of another mode
     */
    public WorkState work(Principal principal, String id, String mode) {
        JobRecord job = visible(principal, id);
        if (!mode.equals(job.mode())) {
            throw GatewayException.notFound("job " + String.valueOf(id).replaceAll("[^A-Za-z0-9_]", "?"));
        }
        JobItem item = store.items(job.id(), null, 1, 0).getFirst();
        String state = switch (job.status()) {
            case RUNNING -> "running";
            case CANCELED -> "canceled";
            default -> item.status() == ItemStatus.SUCCEEDED ? "succeeded" : "failed";
        };
        return new WorkState(job.id(), state, item.status() == ItemStatus.SUCCEEDED ? item.output() : null,
                "failed".equals(state) ? item.error() : null, item.attempts(), job.createdAt(), job.completedAt());
    }

    /** A {@link JobWork} job as {@link #work} reads it. */
    public record WorkState(String id, String status, JsonNode output, JsonNode error, int attempts, long createdAt,
                            Long completedAt) {
    }

    /**
     * Every item against the mode's input contract and the params against its params contract, before
     * anything is queued: one problem lists the violations with {@code $.items[i]} paths (the first
     * {@value #MAX_ERRORS} of them), so a job never starts that would fail item by item.
     */
    private static void validate(PublishedModel model, Mode contract, List<JsonNode> inputs, JsonNode params) {
        List<FieldError> errors = new ArrayList<>();
        int invalidItems = 0;
        for (int i = 0; i < inputs.size(); i++) {
            List<FieldError> found = contract.validateInput(inputs.get(i));
            if (!found.isEmpty()) {
                invalidItems++;
            }
            for (FieldError e : found) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(new FieldError("$.items[" + i + "]" + e.path().substring(Math.min(e.path().length(),
                            INPUT_PATH.length())), e.message()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_items",
                    invalidItems + " of " + inputs.size() + " items do not match the input contract of " + model.slug()
                            + "/" + contract.name() + "; nothing was queued (errors lists at most " + MAX_ERRORS + ")")
                    .errors(errors).build();
        }
        List<FieldError> paramErrors = contract.validateParams(
                params == null || params.isNull() ? JsonNodeFactory.instance.objectNode() : params);
        if (!paramErrors.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_params",
                    "params do not match the contract of " + model.slug() + "/" + contract.name()).errors(paramErrors).build();
        }
    }

    private GatewayException tooManyJobs() {
        int cap = properties.maxInFlightPerWorkspace();
        return GatewayException.of(ErrorCategory.LIMIT, "too_many_jobs",
                        "this workspace already has " + cap + " jobs running, the most that may run at once "
                                + "(aimp.jobs.max-in-flight-per-workspace): wait for one to finish")
                .status(429).retryAfter(10).with("max_in_flight", cap).build();
    }

    /** The caller's jobs (every job of the workspace for those who may read all logs), newest first. */
    public Map<String, Object> list(Principal principal, String status, int limit, int offset) {
        principal.require(Permission.VIEW_OWN_RUNS);
        if (limit < 1 || limit > MAX_PAGE) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
        JobStatus st = null;
        if (status != null) {
            st = JobStatus.parse(status);
            if (st == null) {
                throw GatewayException.invalidField("invalid_parameter", "status",
                        "status must be one of running, completed, completed_with_errors, failed, canceled");
            }
        }
        String ownUser = principal.can(Permission.VIEW_ALL_LOGS) ? null : principal.userId();
        List<Map<String, Object>> data = store.list(principal.workspaceId(), ownUser, st, limit, offset).stream()
                .map(this::view).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", data);
        page.put("limit", limit);
        page.put("offset", offset);
        return page;
    }

    public Map<String, Object> get(Principal principal, String id) {
        return view(visible(principal, id));
    }

    public Map<String, Object> items(Principal principal, String id, String status, int limit, int offset) {
        JobRecord job = visible(principal, id);
        if (limit < 1 || limit > MAX_PAGE) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (offset < 0) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must not be negative");
        }
        ItemStatus st = null;
        if (status != null) {
            st = ItemStatus.parse(status);
            if (st == null) {
                throw GatewayException.invalidField("invalid_parameter", "status",
                        "status must be one of queued, running, succeeded, failed, canceled");
            }
        }
        List<Map<String, Object>> data = store.items(job.id(), st, limit, offset).stream().map(JobService::itemView).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", data);
        page.put("limit", limit);
        page.put("offset", offset);
        page.put("total", st == null ? job.itemCount() : store.counts(job.id()).get(st));
        return page;
    }

    /** Cancels a running job: queued items are canceled, items already executing finish. */
    public Map<String, Object> cancel(Principal principal, String id) {
        principal.require(Permission.RUN_MODELS);
        JobRecord job = visible(principal, id);
        long now = clock.millis();
        if (!job.status().canMoveTo(JobStatus.CANCELED) || !store.move(job.id(), JobStatus.RUNNING, JobStatus.CANCELED, now)) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "job_not_cancelable",
                    "the job is already " + job.status().wireName()).status(409).build();
        }
        store.moveItems(job.id(), ItemStatus.QUEUED, ItemStatus.CANCELED, now);
        ended(job.id());
        return view(visible(principal, id));
    }

    /** Re-queues a finished job's failed (and canceled) items; succeeded items keep their results. */
    public Map<String, Object> resume(Principal principal, String id) {
        principal.require(Permission.RUN_MODELS);
        JobRecord job = visible(principal, id);
        if (!job.status().canMoveTo(JobStatus.RUNNING)) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "job_in_progress",
                    "the job is still running; resume it once it has completed or was canceled").status(409).build();
        }
        long now = clock.millis();
        switch (store.reopen(job.workspaceId(), job.id(), job.status(), now, properties.maxInFlightPerWorkspace())) {
            case AT_CAP -> throw tooManyJobs();
            case CHANGED -> throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "job_changed",
                    "the job changed state meanwhile; read it again").status(409).build();
            case REOPENED -> { }
        }
        store.moveItems(job.id(), ItemStatus.FAILED, ItemStatus.QUEUED, now);
        store.moveItems(job.id(), ItemStatus.CANCELED, ItemStatus.QUEUED, now);
        completeIfDone(job.id());
        signal.run();
        return view(visible(principal, id));
    }

    private JobRecord visible(Principal principal, String id) {
        principal.require(Permission.VIEW_OWN_RUNS);
        return store.find(principal.workspaceId(), id)
                .filter(j -> principal.can(Permission.VIEW_ALL_LOGS) || principal.userId().equals(j.userId()))
                .orElseThrow(() -> GatewayException.notFound("job " + String.valueOf(id).replaceAll("[^A-Za-z0-9_]", "?")));
    }

    private Map<String, Object> view(JobRecord job) {
        Map<ItemStatus, Integer> counts = store.counts(job.id());
        Map<String, Object> byState = new LinkedHashMap<>();
        counts.forEach((s, n) -> byState.put(s.wireName(), n));
        int done = counts.get(ItemStatus.SUCCEEDED) + counts.get(ItemStatus.FAILED) + counts.get(ItemStatus.CANCELED);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", job.id());
        v.put("object", "job");
        v.put("model", job.modelSlug());
        v.put("mode", job.mode());
        v.put("status", job.status().wireName());
        v.put("item_count", job.itemCount());
        v.put("counts", byState);
        v.put("progress", job.itemCount() == 0 ? 1.0 : Math.round(1000.0 * done / job.itemCount()) / 1000.0);
        v.put("created_at", java.time.Instant.ofEpochMilli(job.createdAt()).toString());
        v.put("completed_at", job.completedAt() == null ? null : java.time.Instant.ofEpochMilli(job.completedAt()).toString());
        return v;
    }

    private static Map<String, Object> itemView(JobItem item) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("index", item.index());
        v.put("status", item.status().wireName());
        v.put("run_id", item.runId());
        v.put("output", item.output());
        v.put("error", item.error());
        v.put("attempts", item.attempts());
        return v;
    }

    /** The error document of an item that did not run or failed, like a run's {@code error}. */
    static ObjectNode errorOf(GatewayException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", e.code());
        error.put("category", e.category().wireName());
        error.put("status", e.status());
        error.put("detail", e.detail());
        return error;
    }
}
