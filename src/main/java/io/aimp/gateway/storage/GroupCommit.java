package io.aimp.gateway.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Group commit: many callers' units of work share one transaction, so durability costs one commit
 * per batch instead of one per request. A caller's {@link #commit} returns only after its unit is
 * committed; nothing is acknowledged that a crash could lose. When a batch fails, its units are
 * retried one transaction each, so one bad unit fails alone.
 *
 * <p>There is no writer thread: the first caller to find no commit in progress becomes the leader,
 * takes every queued unit (its own included, at most {@code maxBatch}) and commits them; callers
 * arriving meanwhile queue up and park, and a finishing leader wakes the next queued caller to lead
 * the following batch. A lone caller therefore commits on its own thread with no hand-off, and under
 * load the batches grow by themselves.
 */
public final class GroupCommit implements AutoCloseable {

    private static final class Unit {
        final Runnable work;
        final Thread owner = Thread.currentThread();
        volatile boolean done;
        RuntimeException failure;

        Unit(Runnable work) {
            this.work = work;
        }

        void finish(RuntimeException e) {
            failure = e;
            done = true;
            LockSupport.unpark(owner);
        }
    }

    private static final long PARK_NANOS = 50_000_000L;

    private final Database db;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock leader = new ReentrantLock();
    private volatile boolean running = true;

    public GroupCommit(Database db, int maxBatch) {
        this.db = db;
        this.maxBatch = maxBatch;
    }

    /**
     * Runs {@code work} inside a batched transaction and waits for the commit. Any exception the work
     * throws is rethrown here, and nothing of that unit is committed. Must not be called inside a
     * transaction (the unit would not be committed when this returns).
     */
    public void commit(Runnable work) {
        if (!running) {
            throw new IllegalStateException("shutting down");
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("group commit called inside a transaction");
        }
        Unit unit = new Unit(work);
        queue.add(unit);
        boolean interrupted = false;
        while (!unit.done) {
            if (leader.tryLock()) {
                try {
                    if (!unit.done) {
                        runBatch(drain());
                    }
                } finally {
                    leader.unlock();
                }
                Unit next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.owner);
                }
            } else {
                // a leader is committing; it or the leader after it completes this unit or wakes us to
                // lead (the bound is only a safety net)
                LockSupport.parkNanos(this, PARK_NANOS);
                // the unit may already be in a batch: it is seen through, and the interrupt kept for later
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (unit.failure != null) {
            throw unit.failure;
        }
    }

    private List<Unit> drain() {
        List<Unit> batch = new ArrayList<>(Math.min(maxBatch, 16));
        Unit u;
        while (batch.size() < maxBatch && (u = queue.poll()) != null) {
            batch.add(u);
        }
        return batch;
    }

    private void runBatch(List<Unit> batch) {
        try {
            if (batch.size() > 1) {
                try {
                    db.inTransaction(() -> batch.forEach(u -> u.work.run()));
                    batch.forEach(u -> u.finish(null));
                    return;
                } catch (RuntimeException batchFailure) {
                    // fall through: find the unit that failed by committing each alone
                }
            }
            for (Unit u : batch) {
                try {
                    db.inTransaction(u.work);
                    u.finish(null);
                } catch (RuntimeException e) {
                    u.finish(e);
                }
            }
        } catch (Throwable t) {
            // an Error: no unit of this batch may wait for ever
            for (Unit u : batch) {
                if (!u.done) {
                    u.finish(new IllegalStateException("commit failed", t));
                }
            }
            throw t;
        }
    }

    /** Refuses new units; units already queued are still committed by their callers. */
    @Override
    public void close() {
        running = false;
    }
}
