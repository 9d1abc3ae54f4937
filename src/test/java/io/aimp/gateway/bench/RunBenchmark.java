package io.aimp.gateway.bench;

import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.runs.RunService;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Threads;
import tools.jackson.databind.ObjectMapper;

/**
 * The whole run without HTTP, for comparison with the sum of the stages: authenticate the key, parse
 * the body, {@code RunService.submit} (validation, limits, idempotency and wallet stages, the
 * in-process extractive-summary executor through the router, the completion commit) and write the
 * response body as the controller answers it. {@code parallel}: four callers at once.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class RunBenchmark {

    private BenchGateway gateway;
    private Authenticator authenticator;
    private RunService runs;
    private ObjectMapper json;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start(Map.of());
        authenticator = gateway.bean(Authenticator.class);
        runs = gateway.bean(RunService.class);
        json = gateway.json;
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    private byte[] runOnce() {
        Principal principal = authenticator.authenticate(BenchGateway.API_KEY, null);
        var result = runs.submit(principal, json.readTree(BenchGateway.REQUEST),
                new RunService.Entry("req_jmh", "rest", null, null));
        if (!(result instanceof RunService.RunOutcome outcome)) {
            throw new IllegalStateException("expected a run, got " + result);
        }
        return json.writeValueAsBytes(outcome.view());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] single() {
        return runOnce();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    @Warmup(iterations = 8, time = 2) // four callers on two cores take longer to settle
    public byte[] parallel() {
        return runOnce();
    }
}
