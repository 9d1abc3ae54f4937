package io.aimp.gateway.assistants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How exactly {@code run_code}'s time limit holds on this machine (not a test; surefire does not run
 * it). For each runaway script: the first call on a freshly built sandbox, then warm calls; it prints
 * how each ended and by how much the wall time of {@code run} passed the limit.
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" io.aimp.gateway.assistants.CodeSandboxLimitBenchmark [limit_ms] [warm_calls]
 * </pre>
 */
public final class CodeSandboxLimitBenchmark {

    static final Map<String, String> SCRIPTS = CodeSandboxTest.RUNAWAY;

    private CodeSandboxLimitBenchmark() {
    }

    public static void main(String[] args) {
        Duration limit = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 1_000);
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("limit %d ms, %d warm calls per script, %d cores%n", limit.toMillis(), warm,
                Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, String> script : SCRIPTS.entrySet()) {
            long build = System.nanoTime();
            try (CodeSandbox fresh = new CodeSandbox(1, Long.MAX_VALUE, 200)) {
                long built = (System.nanoTime() - build) / 1_000_000;
                Sample first = sample(fresh, script.getValue(), limit);
                List<Long> over = new ArrayList<>();
                List<Long> ranOver = new ArrayList<>();
                String endings = "";
                for (int i = 0; i < warm; i++) {
                    Sample s = sample(fresh, script.getValue(), limit);
                    over.add(s.overMs());
                    ranOver.add(s.ranOverMs());
                    endings = endings.contains(s.ending()) ? endings : endings + s.ending() + " ";
                }
                Collections.sort(over);
                Collections.sort(ranOver);
                System.out.printf("%-20s build %5d ms | first call: %s %+d ms (ran %+d) | warm: %s, over the limit min/median/max "
                                + "%+d/%+d/%+d ms (ran %+d/%+d/%+d)%n", script.getKey(), built, first.ending(), first.overMs(),
                        first.ranOverMs(), endings.strip(), over.getFirst(), over.get(over.size() / 2), over.getLast(),
                        ranOver.getFirst(), ranOver.get(ranOver.size() / 2), ranOver.getLast());
            }
        }
    }

    /** How the script ended, and by how much the wall time of {@code run} and the script's own run time passed the limit. */
    private record Sample(String ending, long overMs, long ranOverMs) {
    }

    private static Sample sample(CodeSandbox sandbox, String code, Duration limit) {
        long start = System.nanoTime();
        CodeSandbox.Outcome o = sandbox.run(code, limit);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Sample(o.ending().name(), ms - limit.toMillis(), o.ranMs() - limit.toMillis());
    }
}
