package io.aimp.gateway.assistants;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs untrusted JavaScript for the {@code run_code} tool: a GraalJS context under
 * {@link SandboxPolicy#CONSTRAINED} with no host access, no I/O (files, sockets, processes, threads,
 * environment) and no Java interop. Limits, each ending the script as a tool error:
 * <ul>
 * <li>time: a timer started when the script's evaluation starts cancels the context when the limit is
 * up (the context's creation is not counted; the engine is warmed up when the sandbox is built, so a
 * first script is not slower than the next). The limit is the smaller of the one asked for and the
 * time left before the caller's deadline; a script that could not start before that deadline does
 * not run at all ({@link Ending#NOT_STARTED});</li>
 * <li>memory: bytes allocated by the executing thread are watched; past {@code maxAllocatedBytes} the
 * context is cancelled. This is a cap on total allocation (stricter than live heap), because
 * GraalVM Community has no heap limit per context (the {@code sandbox.MaxHeapMemory} option is in
 * Oracle GraalVM only); a single allocation larger than the JVM heap fails alone with an
 * {@link OutOfMemoryError} inside the script's thread;</li>
 * <li>output: printed text and the result are cut at {@code maxOutputChars}.</li>
 * </ul>
 * Scripts run on a fixed number of platform threads (allocation accounting does not cover virtual
 * threads), shared between workspaces by a {@link FairQueue}: the last free thread is kept for a
 * workspace with no script running, and a free thread goes to the waiting workspace with the fewest
 * scripts running. Without the Graal compiler the code is interpreted: fine
 * for the small computations an assistant needs.
 */
final class CodeSandbox implements AutoCloseable {

    /** How a script ended. */
    enum Ending { OK, ERROR, TIME_LIMIT, MEMORY_LIMIT, NOT_STARTED }

    /**
     * What a script did: its result and printed output, or the reason it failed.
     *
     * @param ranMs how long the script ran, from the start of its evaluation (0 when it did not start)
     */
    record Outcome(Ending ending, String result, String output, String error, long ranMs) {
        boolean ok() {
            return ending == Ending.OK;
        }
    }

    private static final ExecutorService CLOSER = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("aimp-run-code-stop-", 0).daemon(true).factory());
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** How long a caller waits past its deadline for a script the engine failed to stop. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final String WARM_UP = "JSON.stringify([1, 2, 3].map(x => x * 2)) + /a+b/.test('aab') + "
            + "'x'.repeat(3).split('').join(',') + Math.max(...[1, 2]) + new Array(100).fill(0).length";

    private final Engine engine;
    private final FairQueue<Job> queue;
    private final List<Thread> runners = new ArrayList<>();
    private final ScheduledExecutorService watchdog;
    private final long maxAllocatedBytes;
    private final int maxOutputChars;
    private final AtomicLong started = new AtomicLong();

    CodeSandbox(int threads, long maxAllocatedBytes, int maxOutputChars) {
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("aimp-run-code-watch").daemon(true).factory());
        this.queue = new FairQueue<>(threads);
        this.maxAllocatedBytes = maxAllocatedBytes;
        this.maxOutputChars = maxOutputChars;
        // the engine's first context loads and initializes most of the language: not a script's time
        try (Context ctx = newContext(new LimitedBuffer(0))) {
            ctx.eval("js", WARM_UP);
        }
        // and the first cancellation loads its own classes: a first runaway script must not pay for them
        execute(new Job("for (;;) {}", Duration.ofMillis(1), System.nanoTime() + TimeUnit.MINUTES.toNanos(1)));
        started.set(0);
        for (int i = 0; i < threads; i++) {
            runners.add(Thread.ofPlatform().name("aimp-run-code-" + i).daemon(true).start(this::serve));
        }
    }

    /** Runs {@code code} with {@code limit} and no other deadline (tests, benchmarks). */
    Outcome run(String code, Duration limit) {
        return run("", code, limit, System.nanoTime() + limit.toNanos() + TimeUnit.MINUTES.toNanos(10));
    }

    /**
     * Runs {@code code} for {@code workspace}; its value (the last expression) is the result,
     * {@code console.log} the output. It runs for at most {@code limit} and never past
     * {@code deadlineNanos} ({@link System#nanoTime()} based); waiting for a thread counts against the
     * deadline, not against the limit.
     */
    Outcome run(String workspace, String code, Duration limit, long deadlineNanos) {
        if (deadlineNanos - System.nanoTime() <= 0) {
            return notStarted();
        }
        Job job = new Job(code, limit, deadlineNanos);
        queue.add(workspace, job);
        try {
            try {
                return job.result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (queue.remove(workspace, job)) {
                    return notStarted();
                }
                // it started before the deadline, with a limit that ends by then: the engine stops it
                return job.result.get(GRACE_NANOS, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            stop(job, Ending.TIME_LIMIT, "time limit reached");
            return new Outcome(Ending.TIME_LIMIT, null, "", "time limit reached", 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.remove(workspace, job);
            stop(job, Ending.ERROR, "canceled");
            return new Outcome(Ending.ERROR, null, "", "canceled", 0);
        } catch (ExecutionException e) {
            return new Outcome(Ending.ERROR, null, "", "the sandbox failed: " + e.getCause().getClass().getSimpleName(), 0);
        }
    }

    /** Scripts that started evaluating since the sandbox was built. */
    long started() {
        return started.get();
    }

    private static Outcome notStarted() {
        return new Outcome(Ending.NOT_STARTED, null, "", "not executed: the run's time ran out before the script could start", 0);
    }

    private void serve() {
        while (!Thread.currentThread().isInterrupted()) {
            FairQueue.Taken<Job> taken;
            try {
                taken = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                taken.job().result.complete(execute(taken.job()));
            } catch (RuntimeException | Error e) {
                taken.job().result.completeExceptionally(e);
            } finally {
                queue.done(taken);
            }
        }
    }

    private Context newContext(ByteArrayOutputStream out) {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out)
                .err(out)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false)
                .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
                .build();
    }

    private Outcome execute(Job job) {
        ByteArrayOutputStream out = new LimitedBuffer(maxOutputChars * 4L);
        long threadId = Thread.currentThread().threadId();
        long start = 0;
        try (Context ctx = newContext(out)) {
            job.running.set(ctx);
            // the language's own set-up (builtins, first class loading) is not the script's time or allocation
            ctx.initialize("js");
            start = System.nanoTime();
            long budget = Math.min(job.limit.toNanos(), job.deadlineNanos - start);
            if (budget <= 0) {
                return notStarted();
            }
            String timeLimit = "time limit of " + TimeUnit.NANOSECONDS.toMillis(budget) + " ms reached"
                    + (budget < job.limit.toNanos() ? " (the run's remaining time)" : "");
            long allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
            ScheduledFuture<?> timer = watchdog.schedule(() -> stop(job, Ending.TIME_LIMIT, timeLimit), budget, TimeUnit.NANOSECONDS);
            ScheduledFuture<?> memory = watchdog.scheduleAtFixedRate(() -> {
                if (THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart > maxAllocatedBytes) {
                    stop(job, Ending.MEMORY_LIMIT, "memory limit of " + (maxAllocatedBytes >> 20) + " MB reached");
                }
            }, 5, 5, TimeUnit.MILLISECONDS);
            started.incrementAndGet();
            try {
                Value v = ctx.eval("js", job.code);
                String result = v.isNull() ? null : cut(v.toString());
                return new Outcome(Ending.OK, result, cut(out.toString(StandardCharsets.UTF_8)), null, ranMs(start));
            } finally {
                timer.cancel(false);
                memory.cancel(false);
            }
        } catch (PolyglotException e) {
            Stopped why = job.stopped.get();
            if (why != null) {
                return new Outcome(why.ending(), null, cut(out.toString(StandardCharsets.UTF_8)), why.reason(), ranMs(start));
            }
            if (e.isResourceExhausted()) {
                return new Outcome(Ending.MEMORY_LIMIT, null, "", "resource limit reached (memory)", ranMs(start));
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(Ending.ERROR, null, cut(out.toString(StandardCharsets.UTF_8)), cut(message), ranMs(start));
        } catch (OutOfMemoryError e) {
            return new Outcome(Ending.MEMORY_LIMIT, null, "", "memory limit reached", ranMs(start));
        } catch (IllegalStateException e) {
            Stopped why = job.stopped.get();
            return why != null ? new Outcome(why.ending(), null, "", why.reason(), ranMs(start))
                    : new Outcome(Ending.ERROR, null, "", "the script was stopped", ranMs(start));
        }
    }

    private static long ranMs(long start) {
        return start == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private record Stopped(Ending ending, String reason) {
    }

    /** One script on its way through the queue; {@code running} and {@code stopped} let another thread end it. */
    private static final class Job {
        final String code;
        final Duration limit;
        final long deadlineNanos;
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        final AtomicReference<Context> running = new AtomicReference<>();
        final AtomicReference<Stopped> stopped = new AtomicReference<>();

        Job(String code, Duration limit, long deadlineNanos) {
            this.code = code;
            this.limit = limit;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private static void stop(Job job, Ending ending, String why) {
        Context ctx = job.running.get();
        if (ctx != null && job.stopped.compareAndSet(null, new Stopped(ending, why))) {
            // the close waits for the cancellation to land: not on the watchdog, whose other timers must keep time
            CLOSER.execute(() -> {
                try {
                    ctx.close(true);
                } catch (RuntimeException ignored) {
                    // closing a context from another thread may report the cancellation itself
                }
            });
        }
    }

    private String cut(String s) {
        return s.length() <= maxOutputChars ? s : s.substring(0, maxOutputChars) + "…";
    }

    @Override
    public void close() {
        runners.forEach(Thread::interrupt);
        queue.clear().forEach(job -> job.result.complete(
                new Outcome(Ending.NOT_STARTED, null, "", "not executed: the gateway is shutting down", 0)));
        watchdog.shutdownNow();
        engine.close(true);
    }

    /** Keeps at most {@code max} bytes of printed output; the rest is dropped. */
    private static final class LimitedBuffer extends ByteArrayOutputStream {
        private final long max;

        LimitedBuffer(long max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (count < max) {
                super.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = (int) Math.max(0, Math.min(len, max - count));
            super.write(b, off, room);
        }
    }
}
