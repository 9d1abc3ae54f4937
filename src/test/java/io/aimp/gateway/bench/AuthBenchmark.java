package io.aimp.gateway.bench;

import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.Secrets;
import java.nio.charset.StandardCharsets;
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
 * Stage 1, authentication: an {@code X-API-Key} resolved to a principal on the hot path (the key's row
 * is in the look-up cache; the cache refreshes it in the background every 500 ms, as in production).
 * {@code keyedHash} is the HMAC of the presented key alone, for scale.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class AuthBenchmark {

    private static final byte[] PEPPER = "jmh-bench-pepper-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private BenchGateway gateway;
    private Authenticator authenticator;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start(Map.of());
        authenticator = gateway.bean(Authenticator.class);
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public Principal apiKeyCached() {
        return authenticator.authenticate(BenchGateway.API_KEY, null);
    }

    @Benchmark
    public String keyedHash() {
        return Secrets.hmacHex(PEPPER, BenchGateway.API_KEY);
    }
}
