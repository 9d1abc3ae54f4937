package io.aimp.gateway.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Group commit: one writer thread runs many callers' units of work in one transaction, so durability
 * costs one commit per batch instead of one per request. A caller's {@link #commit} returns only
 * after its unit is committed; nothing is acknowledged that a crash could lose. When a batch fails,
 * its units are retried one transaction each, so one bad unit fails alone.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Unit(Runnable work, CompletableFuture<Void> done) {
    }

    private final Database db;
    private final int maxBatch;
    private final BlockingQueue<Unit> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
    private volatile boolean running = true;

    public GroupCommit(Database db, int maxBatch) {
        this.db = db;
        this.maxBatch = maxBatch;
        this.writer = Thread.ofPlatform().name("aimp-group-commit").daemon(true).start(this::loop);
    }

    /**
     * Runs {@code work} inside a batched transaction and waits for the commit. Any exception the work
     * throws is rethrown here, and nothing of that unit is committed. Must not be called inside a
     * transaction (on SQLite the writer would wait for that transaction's lock).
     */
    public void commit(Runnable work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            throw new IllegalStateException("shutting down");
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("group commit called inside a transaction");
        }
        try {
            queue.put(new Unit(work, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before commit", e);
        }
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private void loop() {
        List<Unit> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Unit first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("group commit writer failed", e);
                batch.forEach(u -> u.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Unit> batch) {
        if (batch.size() > 1) {
            try {
                db.inTransaction(() -> batch.forEach(u -> u.work().run()));
                batch.forEach(u -> u.done().complete(null));
                return;
            } catch (RuntimeException batchFailure) {
                // fall through: find the unit that failed by committing each alone
            }
        }
        for (Unit u : batch) {
            try {
                db.inTransaction(u.work());
                u.done().complete(null);
            } catch (RuntimeException e) {
                u.done().completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
