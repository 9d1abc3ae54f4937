package io.aimp.gateway.runs;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

    private final RunService service;
    private final SubmittingPrincipal submitters;
    private final RunStore store;
    private final Database db;
    private final Clock clock;
    private final Semaphore permits;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wake = new Object();
    private volatile boolean running = true;
    private Thread dispatcher;

    AsyncRunner(RunService service, SubmittingPrincipal submitters, RunStore store, Database db, Clock clock,
                @Value("${aimp.runs.async-workers:8}") int workerCount) {
        if (workerCount < 1 || workerCount > 1024) {
            throw new IllegalArgumentException("aimp.runs.async-workers must be between 1 and 1024");
        }
        this.service = service;
        this.submitters = submitters;
        this.store = store;
        this.db = db;
        this.clock = clock;
        this.permits = new Semaphore(workerCount);
        service.onQueued(this::signal);
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
        dispatcher = Thread.ofPlatform().name("aimp-async-runs").daemon(true).start(this::loop);
    }

    /** Fails runs whose lease ran out on any node (a node that died mid-run). */
    @Scheduled(fixedDelayString = "${aimp.runs.lease-sweep-ms:10000}", initialDelay = 10_000)
    void sweep() {
        service.failAbandoned(clock.millis(), ABANDONED);
    }

    void signal() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                permits.acquire();
                Optional<RunRecord> claimed;
                try {
                    long now = clock.millis();
                    claimed = store.claimQueued(now, now + 15 * 60_000);
                } catch (RuntimeException e) {
                    permits.release();
                    log.warn("claiming a queued run failed; retrying", e);
                    pause(1000);
                    continue;
                }
                if (claimed.isEmpty()) {
                    permits.release();
                    pause(500);
                    continue;
                }
                RunRecord run = claimed.get();
                workers.submit(() -> {
                    try {
                        // the run executes as its submitter is now, not as it was when it was queued
                        service.executeQueued(run, () -> submitters.reread(run.principalType(), run.workspaceId(),
                                run.userId(), run.keyId()));
                    } catch (RuntimeException e) {
                        log.error("async run {} failed to complete", run.id(), e);
                    } finally {
                        permits.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pause(long ms) throws InterruptedException {
        synchronized (wake) {
            wake.wait(ms);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
