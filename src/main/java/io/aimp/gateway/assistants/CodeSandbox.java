package io.aimp.gateway.assistants;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs untrusted JavaScript for the {@code run_code} tool: a GraalJS context under
 * {@link SandboxPolicy#CONSTRAINED} with no host access, no I/O (files, sockets, processes, threads,
 * environment) and no Java interop. Limits, each ending the script as a tool error:
 * <ul>
 * <li>time: the context is cancelled after {@code timeout};</li>
 * <li>statements: a cap on executed statements, so a tight loop ends even between clock checks;</li>
 * <li>memory: bytes allocated by the executing thread are watched; past {@code maxAllocatedBytes} the
 * context is cancelled. This is a cap on total allocation (stricter than live heap), because
 * GraalVM Community has no heap limit per context (the {@code sandbox.MaxHeapMemory} option is in
 * Oracle GraalVM only); a single allocation larger than the JVM heap fails alone with an
 * {@link OutOfMemoryError} inside the script's thread;</li>
 * <li>output: printed text and the result are cut at {@code maxOutputChars}.</li>
 * </ul>
 * Scripts run on a small pool of platform threads (allocation accounting does not cover virtual
 * threads), which also bounds how many run at once. Without the Graal compiler the code is
 * interpreted: fine for the small computations an assistant needs.
 */
final class CodeSandbox implements AutoCloseable {

    /** What a script did: {@code ok} with its result and printed output, or {@code error} with the reason. */
    record Outcome(boolean ok, String result, String output, String error) {
    }

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long STATEMENT_LIMIT = 50_000_000L;

    private final Engine engine;
    private final ExecutorService runners;
    private final ScheduledExecutorService watchdog;
    private final long maxAllocatedBytes;
    private final int maxOutputChars;

    CodeSandbox(int threads, long maxAllocatedBytes, int maxOutputChars) {
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.runners = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("aimp-run-code-", 0).daemon(true).factory());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("aimp-run-code-watch").daemon(true).factory());
        this.maxAllocatedBytes = maxAllocatedBytes;
        this.maxOutputChars = maxOutputChars;
    }

    /** Runs {@code code}; its value (the last expression) is the result, {@code console.log} the output. */
    Outcome run(String code, Duration timeout) {
        AtomicReference<Context> running = new AtomicReference<>();
        AtomicReference<String> stopped = new AtomicReference<>();
        Future<Outcome> f = runners.submit(() -> execute(code, running, stopped));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return f.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop(running, stopped, "time limit of " + timeout.toMillis() + " ms reached");
            f.cancel(true);
            return new Outcome(false, null, "", "time limit of " + timeout.toMillis() + " ms reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(running, stopped, "canceled");
            return new Outcome(false, null, "", "canceled");
        } catch (java.util.concurrent.ExecutionException e) {
            return new Outcome(false, null, "", "the sandbox failed: " + e.getCause().getClass().getSimpleName());
        } finally {
            if (System.nanoTime() > deadline) {
                stop(running, stopped, "time limit of " + timeout.toMillis() + " ms reached");
            }
        }
    }

    private Outcome execute(String code, AtomicReference<Context> running, AtomicReference<String> stopped) {
        ByteArrayOutputStream out = new LimitedBuffer(maxOutputChars * 4L);
        long threadId = Thread.currentThread().threadId();
        try (Context ctx = Context.newBuilder("js")
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
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(STATEMENT_LIMIT, null).build())
                .build()) {
            running.set(ctx);
            // the language's own set-up (builtins, first class loading) is not the script's allocation
            ctx.initialize("js");
            long allocatedAtStart = THREADS.getThreadAllocatedBytes(threadId);
            ScheduledFuture<?> memory = watchdog.scheduleAtFixedRate(() -> {
                if (THREADS.getThreadAllocatedBytes(threadId) - allocatedAtStart > maxAllocatedBytes) {
                    stop(running, stopped, "memory limit of " + (maxAllocatedBytes >> 20) + " MB reached");
                }
            }, 5, 5, TimeUnit.MILLISECONDS);
            try {
                Value v = ctx.eval("js", code);
                String result = v.isNull() ? null : cut(v.toString());
                return new Outcome(true, result, cut(out.toString(StandardCharsets.UTF_8)), null);
            } finally {
                memory.cancel(false);
            }
        } catch (PolyglotException e) {
            String why = stopped.get();
            if (why != null) {
                return new Outcome(false, null, cut(out.toString(StandardCharsets.UTF_8)), why);
            }
            if (e.isResourceExhausted()) {
                return new Outcome(false, null, "", "resource limit reached (statements or memory)");
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(false, null, cut(out.toString(StandardCharsets.UTF_8)), cut(message));
        } catch (OutOfMemoryError e) {
            return new Outcome(false, null, "", "memory limit reached");
        } catch (IllegalStateException e) {
            String why = stopped.get();
            return new Outcome(false, null, "", why != null ? why : "the script was stopped");
        }
    }

    private static void stop(AtomicReference<Context> running, AtomicReference<String> stopped, String why) {
        Context ctx = running.get();
        if (ctx != null && stopped.compareAndSet(null, why)) {
            try {
                ctx.close(true);
            } catch (RuntimeException ignored) {
                // closing a context from another thread may report the cancellation itself
            }
        }
    }

    private String cut(String s) {
        return s.length() <= maxOutputChars ? s : s.substring(0, maxOutputChars) + "…";
    }

    @Override
    public void close() {
        runners.shutdownNow();
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
