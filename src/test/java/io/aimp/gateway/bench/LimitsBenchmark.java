package io.aimp.gateway.bench;

import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunHook;
import io.aimp.gateway.runs.RunPipelineAccess;
import io.aimp.gateway.runs.RunRecord;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stage 3, limits: the limits stage admits a run ({@code before}: worst-case estimate, scopes, windows,
 * slots, caps) and settles it with the actual usage after the commit ({@code afterCommit}).
 * {@code limits=defaults} is the shipped configuration (no limits set: scopes are still resolved);
 * {@code limits=configured} sets requests and tokens per minute, concurrency and daily and monthly
 * credit caps on both the workspace and the key, high enough never to refuse.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class LimitsBenchmark {

    @Param({"defaults", "configured"})
    public String limits;

    private BenchGateway gateway;
    private RunHook stage;
    private RunRecord finished;

    @Setup(Level.Trial)
    public void start() {
        Map<String, String> props = Map.of();
        if (limits.equals("configured")) {
            props = new java.util.HashMap<>();
            for (String scope : new String[] {"workspace", "key"}) {
                props.put("aimp.limits." + scope + ".requests-per-minute", "1000000000");
                props.put("aimp.limits." + scope + ".tokens-per-minute", "1000000000");
                props.put("aimp.limits." + scope + ".concurrent-runs", "10000");
                props.put("aimp.limits." + scope + ".daily-credits", "1000000000");
                props.put("aimp.limits." + scope + ".monthly-credits", "1000000000");
            }
        }
        gateway = BenchGateway.start(props);
        stage = RunPipelineAccess.limitsStage(gateway.context());
        finished = gateway.succeeded(gateway.newRun());
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public RunContext admitAndSettle() {
        RunContext run = gateway.newRun();
        stage.before(run);
        stage.afterCommit(run, finished);
        return run;
    }
}
