package io.aimp.gateway.bench;

import io.aimp.gateway.logs.LogStore;
import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunHook;
import io.aimp.gateway.runs.RunPipelineAccess;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.runs.RunStore;
import io.aimp.gateway.storage.GroupCommit;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Stage 5, the run's completion commit as {@code RunService.finish} makes it for a synchronous run:
 * through the group commit, one unit that inserts the run (input, params and output as JSON text), its
 * usage record and its execution log entry and settles the wallet (debit + ledger entry); then the
 * wallet's in-memory books follow. As there, the usage record (and its id) is made inside the unit, on
 * the writer thread. Each operation reserves first (in memory, a few microseconds; see
 * {@link WalletBenchmark}). SQLite in WAL mode with {@code synchronous=NORMAL}, the default.
 * {@code parallel}: four callers at once, so the writer batches several runs per transaction.
 * {@code -p sqliteSynchronous=OFF} shows what the checkpoints' fsyncs cost (not a setting to run with).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class CommitBenchmark {

    @Param({"NORMAL"})
    public String sqliteSynchronous;

    private BenchGateway gateway;
    private GroupCommit commits;
    private RunStore runs;
    private LogStore logs;
    private RunHook wallet;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start(Map.of("aimp.sqlite-synchronous", sqliteSynchronous));
        commits = gateway.bean(GroupCommit.class);
        runs = gateway.bean(RunStore.class);
        logs = gateway.bean(LogStore.class);
        wallet = RunPipelineAccess.walletStage(gateway.context());
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    private RunRecord commitOne() {
        RunContext run = gateway.newRun();
        wallet.before(run);
        RunRecord finished = gateway.succeeded(run);
        var attempt = BenchGateway.attemptOf(finished);
        commits.commit(() -> {
            runs.insert(finished);
            logs.insertUsage(BenchGateway.usageOf(finished));
            logs.insertExecutionLogs(List.of(attempt));
            wallet.inCommit(run, finished);
        });
        wallet.afterCommit(run, finished);
        return finished;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RunRecord single() {
        return commitOne();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    @Warmup(iterations = 8, time = 2) // four callers on two cores take longer to settle
    public RunRecord parallel() {
        return commitOne();
    }
}
