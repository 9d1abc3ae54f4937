package io.aimp.gateway.bench;

import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunHook;
import io.aimp.gateway.runs.RunPipelineAccess;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.storage.Database;
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

/**
 * Stage 4, the wallet on one node (SQLite): the wallet stage reserves the worst case as an in-memory
 * hold ({@code before}), debits the actual cost and writes the ledger entry in a transaction
 * ({@code inCommit}: delete hold, conditional update, balance read, ledger insert), then moves the
 * in-memory books ({@code afterCommit}). In a run that transaction is the run's group commit (stage
 * 5); here it is a transaction of its own, so {@code reserveAndSettle} includes one SQLite commit.
 * {@code reserveAndRelease} is the in-memory part alone (a run refused by a later stage).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class WalletBenchmark {

    private BenchGateway gateway;
    private RunHook stage;
    private Database db;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start(Map.of());
        stage = RunPipelineAccess.walletStage(gateway.context());
        db = gateway.bean(Database.class);
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public RunContext reserveAndSettle() {
        RunContext run = gateway.newRun();
        stage.before(run);
        RunRecord finished = gateway.succeeded(run);
        db.inTransaction(() -> stage.inCommit(run, finished));
        stage.afterCommit(run, finished);
        return run;
    }

    @Benchmark
    public RunContext reserveAndRelease() {
        RunContext run = gateway.newRun();
        stage.before(run);
        stage.onAbort(run, null);
        return run;
    }
}
