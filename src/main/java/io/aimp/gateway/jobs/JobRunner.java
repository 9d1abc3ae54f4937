package io.aimp.gateway.jobs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.runs.SubmittingPrincipal;
import io.aimp.gateway.storage.ClaimLoop;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.GroupCommit;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executes bulk items: claims them from the database with a lease (so any node may take any item and
 * a dead node's items are claimed again once their lease ends) and submits each to the run pipeline
 * with the key {@code job:<job_id>:<index>}. An item whose run committed before a crash but whose own
 * state did not is claimed again and answered by the idempotent replay of that run: it is charged once.
 * An item whose run did not commit is executed again (its idempotency claim died with the process).
 */
@Component
@Order(1000)
class JobRunner implements ApplicationRunner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final JobService service;
    private final RunService runs;
    private final SubmittingPrincipal submitters;
    private final Database db;
    private final GroupCommit commits;
    private final Clock clock;
    private final ClaimLoop<JobItem> loop;
    private final Map<String, JobWork> works;

    JobRunner(JobStore store, RunService runs, SubmittingPrincipal submitters, JobService service, Database db,
              GroupCommit commits, JobProperties properties, Clock clock, List<JobWork> works) {
        this.store = store;
        this.works = works.stream().collect(Collectors.toUnmodifiableMap(JobWork::mode, Function.identity()));
        this.commits = commits;
        this.service = service;
        this.runs = runs;
        this.submitters = submitters;
        this.db = db;
        this.clock = clock;
        this.loop = new ClaimLoop<>("aimp-jobs", properties.workers(), free -> {
            long now = clock.millis();
            return store.claim(free, now, now + properties.lease().toMillis());
        }, this::execute, item -> "bulk item " + item.jobId() + "#" + item.index());
        service.onCreated(loop::signal);
    }

    @Override
    public void run(ApplicationArguments args) {
        long now = clock.millis();
        // one node on SQLite: every item still running was left by a dead process
        if (db.dialect() == Dialect.SQLITE) {
            int n = store.requeueAbandoned(Long.MAX_VALUE, now);
            if (n > 0) {
                log.warn("re-queued {} bulk item(s) left running by a stopped gateway", n);
            }
        }
        loop.start();
    }

    private void execute(JobItem item) {
        JobRecord job = store.findById(item.jobId()).orElse(null);
        if (job == null) {
            return;
        }
        if (job.status() != JobStatus.RUNNING) {
            write(() -> store.finish(item.jobId(), item.index(), ItemStatus.CANCELED, null, null, null, clock.millis()));
            return;
        }
        JobWork work = works.get(job.mode());
        if (work != null) {
            executeWork(job, item, work);
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", job.modelId());
        body.put("mode", job.mode());
        body.set("input", item.input());
        body.set("params", job.params());
        body.set("options", job.options());
        String key = item.idempotencyKey();
        try {
            // each item runs as the job's submitter is now: a revoked key or a demoted creator stops the rest
            Principal submitter = submitters.reread(job.principalType(), job.workspaceId(), job.userId(), job.keyId());
            RunService.Result result = runs.submit(submitter, body,
                    new RunService.Entry(job.requestId(), "job", key, null));
            // a succeeded item never runs again: under options.persist false its input is not kept
            boolean keepInput = job.options().path("persist").asBoolean(true);
            switch (result) {
                case RunService.RunOutcome o -> write(() -> store.finish(job.id(), item.index(), ItemStatus.SUCCEEDED,
                        o.run().id(), o.run().output(), null, keepInput, clock.millis()));
                case RunService.Replayed r -> write(() -> store.finish(job.id(), item.index(), ItemStatus.SUCCEEDED,
                        r.runId(), r.body().get("output"), null, keepInput, clock.millis()));
            }
        } catch (GatewayException e) {
            if (requeuedForLater(job, item, e)) {
                return;
            }
            ObjectNode error = JobService.errorOf(e);
            Object runId = e.extensions().get("run_id");
            write(() -> store.finish(job.id(), item.index(), ItemStatus.FAILED, runId == null ? null : runId.toString(),
                    null, error, clock.millis()));
            if ("insufficient_funds".equals(e.code()) || e.category() == ErrorCategory.PERMISSION) {
                // the wallet ran dry or the submitter lost the right to run the model: every other item would be
                // refused alike, so stop the rest; what completed keeps its results, resume retries the others
                int[] stopped = {0};
                write(() -> stopped[0] = store.failQueued(job.id(), error, clock.millis()));
                log.info("job {}: {}, stopped {} remaining item(s)", job.id(), e.code(), stopped[0]);
            }
        }
        service.completeIfDone(job.id());
    }

    /** An item of another feature's work: as a run item, the submitter re-read, and its output or error kept. */
    private void executeWork(JobRecord job, JobItem item, JobWork work) {
        try {
            Principal submitter = submitters.reread(job.principalType(), job.workspaceId(), job.userId(), job.keyId());
            tools.jackson.databind.JsonNode output = work.execute(submitter, item.input(), job.requestId());
            write(() -> store.finish(job.id(), item.index(), ItemStatus.SUCCEEDED, null, output, null, clock.millis()));
        } catch (GatewayException e) {
            if (requeuedForLater(job, item, e)) {
                return;
            }
            ObjectNode error = JobService.errorOf(e);
            write(() -> store.finish(job.id(), item.index(), ItemStatus.FAILED, null, null, error, clock.millis()));
        }
        service.completeIfDone(job.id());
    }

    /**
     * An item's state change, in the group commit: on SQLite its one writer thread makes the writes, so an
     * item's end never waits for the write lock against that thread (on a loaded host the lock's busy wait
     * could starve it past the busy timeout and leave the item running until its lease ends). Every change
     * is conditional on the item's state, so the group commit may run it again.
     */
    private void write(Runnable change) {
        commits.commit(change);
    }

    /** Refusals that say "not now" rather than "no": a rate limit, or an earlier attempt still holding the key. */
    /** Puts the item back for later when {@code e} is a refusal worth waiting out (its Retry-After, at most 60 s). */
    private boolean requeuedForLater(JobRecord job, JobItem item, GatewayException e) {
        if (!waitAndRetry(e)) {
            return false;
        }
        long delay = 1000L * (e.retryAfterSeconds() == null ? 1 : Math.min(e.retryAfterSeconds(), 60));
        write(() -> store.requeue(job.id(), item.index(), clock.millis() + delay, clock.millis()));
        loop.signal();
        return true;
    }

    private static boolean waitAndRetry(GatewayException e) {
        return (e.category() == ErrorCategory.LIMIT && e.status() == 429) || "idempotency_key_in_use".equals(e.code());
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
