package io.aimp.gateway.storage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Group commit: many callers' units of work run in one transaction, so durability costs one commit
 * per batch instead of one per request. A caller's {@link #commit} returns only after its unit is
 * committed; nothing is acknowledged that a crash could lose. When a batch fails, its units are
 * retried one transaction each, so one bad unit fails alone. A unit may therefore run more than once
 * before it commits: its effects outside the database must be safe to repeat.
 *
 * <p>Who runs a batch depends on the database. SQLite: one writer thread, because SQLite's work is
 * native code that would hold one of the few carrier threads of a virtual caller for the whole
 * commit. PostgreSQL: the caller that finds no batch running leads one on its own thread (the
 * driver's socket waits release its carrier), taking every unit queued meanwhile, and on finishing
 * hands the lead to the oldest waiting caller; a lone caller commits its own unit with no hand-off.
 * Either way one batch runs at a time, so batches never lock rows in opposite orders. On SQLite each
 * batch's transaction takes the {@link SqliteWriteLock fair write lock} and gives it back at its
 * commit, so writes outside the group commit get their turn between two batches.
 *
 * <p>A batch runs as a {@link Database#inBatchedTransaction batched transaction}: on PostgreSQL the
 * units' {@link Database#updateInBatch} statements go to the server together before the commit.
 */
public final class GroupCommit implements AutoCloseable, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** One caller's unit; the caller waits (parked) until it is done or it is asked to lead. */
    private static final class Unit {
        final Runnable work;
        final Thread owner = Thread.currentThread();
        final long queuedAt = System.nanoTime();
        RuntimeException failure;
        volatile boolean done;
        volatile boolean lead;

        Unit(Runnable work) {
            this.work = work;
        }

        void complete(RuntimeException failure) {
            this.failure = failure;
            this.done = true;
            LockSupport.unpark(owner);
        }
    }

    private final Database db;
    private final int maxBatch;
    /** Units waiting for a batch: the writer thread's (SQLite) or the next leader's (PostgreSQL). */
    private final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>(100_000);
    /** SQLite only: the thread that runs every batch. */
    private final Thread writer;
    private final ReentrantLock leading = new ReentrantLock();
    /** SQLite: what the writer does between two batches (see {@link SqliteCheckpointer#betweenBatches}). */
    private final Runnable betweenBatches;
    private volatile boolean running = true;
    /** Batch sizes and the wait of each unit before its batch started; no-ops until bound to a registry. */
    private volatile DistributionSummary batchSizes = DistributionSummary.builder("aimp.group.commit.batch.size")
            .register(new CompositeMeterRegistry());
    private volatile Timer waits = Timer.builder("aimp.group.commit.wait").register(new CompositeMeterRegistry());

    public GroupCommit(Database db, int maxBatch) {
        this(db, maxBatch, () -> {
        });
    }

    GroupCommit(Database db, int maxBatch, Runnable betweenBatches) {
        this.db = db;
        this.maxBatch = maxBatch;
        this.betweenBatches = betweenBatches;
        this.writer = db.dialect() == Dialect.SQLITE
                ? Thread.ofPlatform().name("aimp-group-commit").daemon(true).start(this::loop)
                : null;
    }

    /**
     * Runs {@code work} inside a batched transaction and waits for the commit. Any exception the work
     * throws is rethrown here, and nothing of that unit is committed. Must not be called inside a
     * transaction (the batch would wait for that transaction's locks), nor on SQLite by a thread that
     * holds the {@link SqliteWriteLock write lock} (the writer takes it for each batch): both throw
     * {@link IllegalStateException} at once.
     */
    public void commit(Runnable work) {
        if (!running) {
            throw new IllegalStateException("shutting down");
        }
        boolean inTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        if (inTransaction || db.holdsWriteLock()) {
            // the batch would need what this thread holds until the call returns: it would never run
            throw new IllegalStateException(inTransaction
                    ? "group commit called inside a transaction"
                    : "group commit called by a thread holding the SQLite write lock (a connection that wrote is"
                            + " still open): the writer thread would wait for it forever");
        }
        Unit unit = new Unit(work);
        try {
            queue.put(unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before commit", e);
        }
        if (writer != null) {
            awaitDoneOrLead(unit);
        } else {
            lead(unit);
        }
        if (unit.failure != null) {
            throw unit.failure;
        }
    }

    /** PostgreSQL: runs batches while this caller leads, until its own unit is done. */
    private void lead(Unit unit) {
        while (!unit.done) {
            if (leading.tryLock()) {
                try {
                    List<Unit> batch = new ArrayList<>();
                    while (!unit.done) {
                        queue.drainTo(batch, maxBatch);
                        runBatch(batch);
                        batch.clear();
                    }
                } finally {
                    leading.unlock();
                }
                // whoever queued while this batch ran waits for a leader: the oldest one leads next
                Unit next = queue.peek();
                if (next != null) {
                    next.lead = true;
                    LockSupport.unpark(next.owner);
                }
                return;
            }
            awaitDoneOrLead(unit);
            unit.lead = false;
        }
    }

    /** Waits, ignoring interrupts (kept for the caller), until the unit is done or asked to lead. */
    private static void awaitDoneOrLead(Unit unit) {
        boolean interrupted = false;
        while (!unit.done && !unit.lead) {
            LockSupport.park(unit);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
                batch.clear(); // its units are complete: nothing below may complete them again
                betweenBatches.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("group commit writer failed", e);
                batch.forEach(u -> u.complete(e));
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        batchSizes = DistributionSummary.builder("aimp.group.commit.batch.size")
                .description("units (runs' final states, usage rows, money moves) committed in one transaction")
                .register(registry);
        waits = Timer.builder("aimp.group.commit.wait")
                .description("time a unit waited in the queue before its batch's transaction started")
                .register(registry);
        Gauge.builder("aimp.group.commit.queue.depth", queue, LinkedBlockingQueue::size)
                .description("units waiting for the next batch").register(registry);
    }

    private void runBatch(List<Unit> batch) {
        long start = System.nanoTime();
        batchSizes.record(batch.size());
        for (Unit u : batch) {
            waits.record(start - u.queuedAt, TimeUnit.NANOSECONDS);
        }
        if (batch.size() > 1) {
            try {
                db.inBatchedTransaction(() -> batch.forEach(u -> u.work.run()));
                batch.forEach(u -> u.complete(null));
                return;
            } catch (RuntimeException batchFailure) {
                // fall through: find the unit that failed by committing each alone
            }
        }
        for (Unit u : batch) {
            try {
                db.inBatchedTransaction(u.work);
                u.complete(null);
            } catch (RuntimeException e) {
                u.complete(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (writer == null) {
            return;
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
