package io.aimp.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayHttpTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed documents' curl, Python {@code requests} and JavaScript {@code fetch} examples, copied
 * verbatim into {@code src/test/resources/seeds}, run against the started gateway with only
 * {@code AIMP_GATEWAY_URL} and {@code AIMP_API_KEY} set. Skipped where the interpreter is missing.
 */
@CheckedAgainstOpenApi
class SeedScriptsTest extends GatewayHttpTest {

    @ParameterizedTest
    @CsvSource({"sh, run.sh, curl", "python3, run.py, python3", "node, run.mjs, node"})
    void should_run_the_seed_example_verbatim(String interpreter, String script, String needs) throws Exception {
        assumeTrue(available(needs), needs + " is not installed");
        if (interpreter.equals("python3")) {
            assumeTrue(available("python3", "-c", "import requests"), "python requests is not installed");
        }
        Path file = Files.createTempFile("seed-", "-" + script);
        try (InputStream in = getClass().getResourceAsStream("/seeds/" + script)) {
            Files.write(file, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder(interpreter, file.toString()).redirectErrorStream(true);
        pb.environment().put("AIMP_GATEWAY_URL", "http://127.0.0.1:" + port);
        pb.environment().put("AIMP_API_KEY", OWNER_KEY);
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        Files.deleteIfExists(file);
        assertThat(done).as("finished in time").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("succeeded").contains("Write a one-line summary.").contains("run_");
    }

    private static boolean available(String... command) {
        List<String> cmd = command.length == 1 ? List.of(command[0], "--version") : List.of(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
