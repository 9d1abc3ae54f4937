package io.aimp.gateway.storage;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher thread that claims work from the database and hands each claimed item to a virtual
 * thread, at most {@code workers} at once: it claims as many items as there are free workers, waits
 * half a second when there is nothing to claim (or until {@link #signal()}), and a second after a claim
 * that failed. An item whose work throws is logged and dropped; its row says what happens next (its
 * lease ends and it is claimed again or swept).
 *
 * @param <T> the claimed item
 */
public final class ClaimLoop<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
    private static final long IDLE_MS = 500;
    private static final long AFTER_FAILURE_MS = 1000;

    private final String name;
    private final IntFunction<List<T>> claim;
    private final Consumer<T> work;
    private final Function<T, String> label;
    private final Semaphore permits;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wake = new Object();
    private volatile boolean running = true;
    private Thread dispatcher;

    /**
     * @param name    the dispatcher thread's name, and what the logs call this loop
     * @param workers how many items may be worked on at once (at least 1)
     * @param claim   claims at most the given number of items (at least 1); an empty list when none is ready
     * @param work    works on one claimed item, on its own virtual thread
     * @param label   how the logs name an item: an id, never its content
     */
    public ClaimLoop(String name, int workers, IntFunction<List<T>> claim, Consumer<T> work, Function<T, String> label) {
        if (workers < 1) {
            throw new IllegalArgumentException(name + " needs at least one worker");
        }
        this.name = name;
        this.claim = claim;
        this.work = work;
        this.label = label;
        this.permits = new Semaphore(workers);
    }

    /** Starts the dispatcher (once). */
    public synchronized void start() {
        if (dispatcher == null) {
            dispatcher = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
        }
    }

    /** Wakes an idle dispatcher: new work was just stored. */
    public void signal() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                permits.acquire();
                int free = 1 + permits.drainPermits();
                List<T> claimed;
                try {
                    claimed = claim.apply(free);
                } catch (RuntimeException e) {
                    permits.release(free);
                    log.warn("{}: claiming work failed; retrying", name, e);
                    pause(AFTER_FAILURE_MS);
                    continue;
                }
                permits.release(free - claimed.size());
                if (claimed.isEmpty()) {
                    pause(IDLE_MS);
                    continue;
                }
                claimed.forEach(this::submit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void submit(T item) {
        workers.submit(() -> {
            try {
                work.accept(item);
            } catch (RuntimeException e) {
                log.error("{}: {} failed to complete", name, label.apply(item), e);
            } finally {
                permits.release();
            }
        });
    }

    private void pause(long ms) throws InterruptedException {
        synchronized (wake) {
            wake.wait(ms);
        }
    }

    /** Stops claiming and waits up to ten seconds for the work in hand. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        Thread d;
        synchronized (this) {
            d = dispatcher;
        }
        if (d != null) {
            d.interrupt();
        }
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
