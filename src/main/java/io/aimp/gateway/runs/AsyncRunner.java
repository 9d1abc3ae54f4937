package io.aimp.gateway.runs;

import io.aimp.gateway.storage.ClaimLoop;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Executes queued runs: claims them one at a time from the database (so any node may take any run),
 * at most {@code aimp.runs.async-workers} at once, each as its submitter is at the time it starts
 * ({@link SubmittingPrincipal}). A run whose concurrency slot is taken goes back to the queue. On start
 * it fails the runs that a dead process left running — they are never silently executed twice.
 */
@Component
class AsyncRunner implements ApplicationRunner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncRunner.class);
    static final String ABANDONED = "{\"code\":\"run_interrupted\",\"category\":\"execution\",\"status\":500,"
            + "\"detail\":\"the gateway stopped while this run was executing; it was not retried and nothing was charged\"}";
    private static final long LEASE_MS = 15 * 60_000;

    private final RunService service;
    private final SubmittingPrincipal submitters;
    private final Database db;
    private final Clock clock;
    private final ClaimLoop<RunRecord> loop;

    AsyncRunner(RunService service, SubmittingPrincipal submitters, RunStore store, Database db, Clock clock,
                @Value("${aimp.runs.async-workers:8}") int workerCount) {
        if (workerCount < 1 || workerCount > 1024) {
            throw new IllegalArgumentException("aimp.runs.async-workers must be between 1 and 1024");
        }
        this.service = service;
        this.submitters = submitters;
        this.db = db;
        this.clock = clock;
        // one run per claim: the oldest startable run, so runs start in the order they were queued
        this.loop = new ClaimLoop<>("aimp-async-runs", workerCount, free -> {
            long now = clock.millis();
            return store.claimQueued(now, now + LEASE_MS).stream().toList();
        }, this::execute, run -> "async run " + run.id());
        service.onQueued(loop::signal);
    }

    @Override
    public void run(ApplicationArguments args) {
        long now = clock.millis();
        // one node on SQLite: whatever is running now was left by a dead process
        long leaseBefore = db.dialect() == Dialect.SQLITE ? Long.MAX_VALUE : now;
        int failed = service.failAbandoned(leaseBefore, ABANDONED);
        if (failed > 0) {
            log.warn("marked {} run(s) failed that were left running by a stopped gateway", failed);
        }
        loop.start();
    }

    /** Fails runs whose lease ran out on any node (a node that died mid-run); first one interval after start. */
    @Scheduled(fixedDelayString = "${aimp.runs.lease-sweep-ms:10000}", initialDelayString = "${aimp.runs.lease-sweep-ms:10000}")
    void sweep() {
        service.failAbandoned(clock.millis(), ABANDONED);
    }

    private void execute(RunRecord run) {
        // the run executes as its submitter is now, not as it was when it was queued
        service.executeQueued(run, () -> submitters.reread(run.principalType(), run.workspaceId(), run.userId(),
                run.keyId()));
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
