package io.aimp.gateway.assistants;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** run_code's sandbox: no host access, and every limit ends the script as an error, fast. */
class CodeSandboxTest {

    static final CodeSandbox SANDBOX = new CodeSandbox(2, 64L << 20, 2_000);
    static final Duration LIMIT = Duration.ofMillis(1_500);

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    private static CodeSandbox.Outcome run(String code) {
        long start = System.nanoTime();
        CodeSandbox.Outcome o = SANDBOX.run(code, LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ends within its limits: " + code)
                .isLessThan(LIMIT.plusSeconds(3));
        return o;
    }

    @Test
    void should_not_count_the_engine_set_up_against_the_first_script() {
        try (CodeSandbox fresh = new CodeSandbox(1, 16L << 20, 100)) {
            CodeSandbox.Outcome o = fresh.run("[1, 2, 3].map(x => x * x).join(',')", LIMIT);
            assertThat(o.ok()).as(o.error()).isTrue();
            assertThat(o.result()).isEqualTo("1,4,9");
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
    void should_stop_a_script_that_spins_forever() {
        CodeSandbox.Outcome o = run("while (true) {}");
        assertThat(o.ok()).isFalse();
        assertThat(o.error()).containsAnyOf("time limit", "resource limit");
    }

    @Test
    void should_stop_a_script_that_allocates_without_bound() {
        CodeSandbox.Outcome o = run("const a = []; while (true) { a.push(new Array(100000).fill(1)); }");
        assertThat(o.ok()).isFalse();
        assertThat(o.error()).containsAnyOf("memory", "time limit", "resource limit");
        assertThat(run("1 + 1").result()).as("keeps serving").isEqualTo("2");
    }
}
