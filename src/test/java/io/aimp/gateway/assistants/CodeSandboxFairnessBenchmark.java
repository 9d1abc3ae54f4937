package io.aimp.gateway.assistants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How long another workspace's {@code 1 + 1} takes while two busy workspaces keep their scripts running
 * (not a test; surefire does not run it). Two workspaces each run a runaway script on a sandbox of
 * {@code threads} threads and queue seven more; a third workspace runs {@code 1 + 1} {@code calls} times and the
 * wall time of each {@code run} is printed (min / median / max).
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.aimp.gateway.assistants.CodeSandboxFairnessBenchmark [threads] [calls]
 * </pre>
 */
public final class CodeSandboxFairnessBenchmark {

    private CodeSandboxFairnessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Duration spin = Duration.ofSeconds(60);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
             CodeSandbox sandbox = new CodeSandbox(threads, 64L << 20, 200)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            List<CompletableFuture<CodeSandbox.Outcome>> busy = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (String ws : List.of("ws_a", "ws_b")) {
                    busy.add(CompletableFuture.supplyAsync(() -> sandbox.run(ws, "while (true) {}", spin, deadline), callers));
                }
                // both busy workspaces run one script before they queue the others
                long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (i == 0 && sandbox.started() < 2 && System.nanoTime() < wait) {
                    Thread.onSpinWait();
                }
            }
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                CodeSandbox.Outcome o = sandbox.run("ws_c", "1 + 1", Duration.ofSeconds(1), deadline);
                ms.add((System.nanoTime() - t0) / 1_000_000);
                if (!"2".equals(o.result())) {
                    throw new IllegalStateException("1 + 1 ended " + o.ending() + ": " + o.error());
                }
            }
            long stillBusy = busy.stream().filter(f -> !f.isDone()).count();
            Collections.sort(ms);
            System.out.printf("%d threads, %d cores: 1 + 1 of a third workspace while two run runaway scripts: "
                            + "min/median/max %d/%d/%d ms over %d calls (busy scripts unfinished at the end: %d of %d)%n",
                    threads, Runtime.getRuntime().availableProcessors(), ms.getFirst(), ms.get(ms.size() / 2), ms.getLast(),
                    calls, stillBusy, busy.size());
        }
    }
}
