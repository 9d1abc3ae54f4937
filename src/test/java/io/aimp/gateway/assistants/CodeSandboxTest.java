package io.aimp.gateway.assistants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** run_code's sandbox: no host access, every limit ends the script as an error on time, threads shared fairly. */
class CodeSandboxTest {

    /** Scripts that never end by themselves; only the time limit stops them (with no memory cap). */
    static final Map<String, String> RUNAWAY = runaway();

    static final CodeSandbox SANDBOX = new CodeSandbox(2, 64L << 20, 2_000);
    static final Duration LIMIT = Duration.ofMillis(1_000);
    /** Room for a loaded 2-core machine; the real accuracy is CodeSandboxLimitBenchmark's to measure. */
    static final Duration MARGIN = Duration.ofSeconds(1);

    private static Map<String, String> runaway() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("busy loop", "let i = 0; while (true) { i++; }");
        // the back-reference keeps the regex engine on its backtracking path: exponential in the a's
        m.put("backtracking regex", "/^(a+)+\\1$/.test('a'.repeat(64) + 'b')");
        m.put("large allocations", "for (;;) { new Uint8Array(32 << 20).fill(1); }");
        return m;
    }

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    private static CodeSandbox.Outcome run(String code) {
        long start = System.nanoTime();
        CodeSandbox.Outcome o = SANDBOX.run(code, LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ends within its limits: " + code)
                .isLessThan(LIMIT.plus(MARGIN));
        return o;
    }

    /** Runs a runaway script and asserts it ended by the time limit, neither before the limit nor long after it. */
    private static void assertStoppedAtTheLimit(CodeSandbox sandbox, String name, String code) {
        long start = System.nanoTime();
        CodeSandbox.Outcome o = sandbox.run(code, LIMIT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(o.ending()).as(name + ": " + o.error()).isEqualTo(CodeSandbox.Ending.TIME_LIMIT);
        assertThat(o.error()).isEqualTo("time limit of 1000 ms reached");
        assertThat(o.ranMs()).as(name + " ran").isBetween(LIMIT.toMillis(), LIMIT.plus(MARGIN).toMillis());
        assertThat(elapsed).as(name + " took").isBetween(LIMIT, LIMIT.plus(MARGIN));
    }

    @Test
    void should_stop_each_runaway_script_at_its_time_limit() {
        try (CodeSandbox uncapped = new CodeSandbox(1, Long.MAX_VALUE, 200)) {
            uncapped.run("1 + 1", LIMIT);
            RUNAWAY.forEach((name, code) -> assertStoppedAtTheLimit(uncapped, name, code));
        }
    }

    @Test
    void should_stop_each_runaway_script_at_its_time_limit_as_the_first_call_of_a_new_sandbox() {
        RUNAWAY.forEach((name, code) -> {
            try (CodeSandbox fresh = new CodeSandbox(1, Long.MAX_VALUE, 200)) {
                assertStoppedAtTheLimit(fresh, name + " (first call)", code);
            }
        });
    }

    @Test
    void should_not_count_the_engine_set_up_against_the_first_script() {
        try (CodeSandbox fresh = new CodeSandbox(1, 16L << 20, 100)) {
            CodeSandbox.Outcome o = fresh.run("[1, 2, 3].map(x => x * x).join(',')", Duration.ofMillis(200));
            assertThat(o.ok()).as(o.error()).isTrue();
            assertThat(o.result()).isEqualTo("1,4,9");
        }
    }

    @Test
    void should_run_no_longer_than_the_time_left_before_the_deadline() {
        long start = System.nanoTime();
        CodeSandbox.Outcome o = SANDBOX.run("ws_deadline", "while (true) {}", Duration.ofSeconds(30), start + 300_000_000L);

        assertThat(o.ending()).isEqualTo(CodeSandbox.Ending.TIME_LIMIT);
        assertThat(o.error()).contains("(the run's remaining time)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300).plus(MARGIN));
    }

    @Test
    void should_not_start_a_script_once_the_deadline_has_passed() {
        long before = SANDBOX.started();

        CodeSandbox.Outcome o = SANDBOX.run("ws_late", "1 + 1", LIMIT, System.nanoTime() - 1);

        assertThat(o.ending()).isEqualTo(CodeSandbox.Ending.NOT_STARTED);
        assertThat(SANDBOX.started()).isEqualTo(before);
    }

    @Test
    void should_run_a_third_workspaces_script_while_two_busy_workspaces_hold_their_threads() throws Exception {
        // given: workspaces A and B each run a runaway script on two of three threads, long enough (30 s) that
        // they are still running when C asks, however loaded the machine; then each queues three more
        Duration busyLimit = Duration.ofSeconds(30);
        // (the sandbox closes first, ending the busy scripts, so that the callers' close does not wait for them)
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
             CodeSandbox shared = new CodeSandbox(3, 64L << 20, 200)) {
            long before = shared.started();
            List<CompletableFuture<CodeSandbox.Outcome>> busy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (String ws : List.of("ws_a", "ws_b")) {
                    busy.add(CompletableFuture.supplyAsync(() -> shared.run(ws, "while (true) {}", busyLimit,
                            System.nanoTime() + Duration.ofMinutes(1).toNanos()), callers));
                }
                if (i == 0) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> shared.started() - before == 2);
                }
            }

            // when: workspace C asks for one quick script
            CodeSandbox.Outcome c = shared.run("ws_c", "1 + 1", LIMIT, System.nanoTime() + Duration.ofMinutes(1).toNanos());

            // then: it ran on the thread kept free, while A's and B's first scripts still ran and their
            // other six still waited (neither busy workspace took the last thread)
            assertThat(c.result()).isEqualTo("2");
            assertThat(busy).as("busy scripts finished when C's answer came").noneMatch(CompletableFuture::isDone);
            assertThat(shared.started() - before).isEqualTo(3);
        }
    }

    @Test
    void should_return_the_value_and_the_printed_output() {
        CodeSandbox.Outcome o = run("console.log('hi'); [1,2,3].map(x => x * 2).reduce((a, b) => a + b)");
        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.result()).isEqualTo("12");
        assertThat(o.output()).contains("hi");
    }

    @Test
    void should_not_read_files_or_reach_the_host() {
        for (String code : new String[] {
                "load('/etc/passwd')",
                "require('fs').readFileSync('/etc/passwd')",
                "Java.type('java.io.File')",
                "Polyglot.import('x')",
                "readFile('/etc/passwd')",
                "new XMLHttpRequest()",
                "fetch('http://127.0.0.1/')"}) {
            CodeSandbox.Outcome o = run(code);
            assertThat(o.ok()).as(code).isFalse();
            assertThat(o.output() + o.error()).doesNotContain("root:");
        }
    }

    @Test
    void should_stop_a_script_that_allocates_without_bound() {
        // a time limit the memory cap comes well before, even on a loaded machine
        CodeSandbox.Outcome o = SANDBOX.run("const a = []; while (true) { a.push(new Uint8Array(1 << 20)); }", Duration.ofSeconds(20));
        assertThat(o.ending()).as(o.error()).isEqualTo(CodeSandbox.Ending.MEMORY_LIMIT);
        assertThat(o.error()).contains("memory");
        assertThat(run("1 + 1").result()).as("keeps serving").isEqualTo("2");
    }
}
