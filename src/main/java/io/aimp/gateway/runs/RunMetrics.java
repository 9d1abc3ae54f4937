package io.aimp.gateway.runs;

import io.aimp.gateway.common.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The run pipeline's meters: runs by model, mode, end status and entry point; requests refused by a
 * limit or the wallet, by dimension and scope; the depth of the async queue. Labels are names from the
 * catalog and fixed sets (never key, run or workspace ids). Counters are cached by label tuple, so a
 * run's end costs one map lookup.
 */
@Component
class RunMetrics {

    static final String RUNS = "aimp.runs";
    static final String REFUSALS = "aimp.limit.refusals";
    /** The status of a request a limit or the wallet refused before it became a run (as in usage rows). */
    static final String BLOCKED = "blocked";

    private record RunKey(String model, String mode, String status, String entryPoint) {
    }

    private record RefusalKey(String dimension, String scope) {
    }

    private final MeterRegistry registry;
    private final Map<RunKey, Counter> runs = new ConcurrentHashMap<>();
    private final Map<RefusalKey, Counter> refusals = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry, RunStore store) {
        this.registry = registry;
        Gauge.builder("aimp.async.queue.depth", store, RunStore::countQueued)
                .description("async runs of every workspace waiting to start").register(registry);
    }

    /** A run ended (succeeded, failed, canceled). */
    void ended(RunRecord r) {
        run(r.modelSlug(), r.mode(), r.status().wireName(), r.entryPoint()).increment();
    }

    /** A request refused before it ran: counted as a {@code blocked} run, and by limit when a limit refused it. */
    void refused(RunContext ctx, GatewayException e) {
        run(ctx.model().slug(), ctx.mode().name(), BLOCKED, ctx.entryPoint()).increment();
        Object dimension = e.extensions().get("limit");
        String d = dimension != null ? String.valueOf(dimension)
                : "insufficient_funds".equals(e.code()) ? "wallet" : "other";
        Object scope = e.extensions().get("scope");
        refusal(d, scope != null ? String.valueOf(scope).replace("API key", "key") : "workspace").increment();
    }

    private Counter run(String model, String mode, String status, String entryPoint) {
        RunKey key = new RunKey(model, mode, status, entryPoint == null ? "rest" : entryPoint);
        Counter c = runs.get(key);
        return c != null ? c : runs.computeIfAbsent(key, k -> Counter.builder(RUNS)
                .description("runs by published model, mode, end status and entry point")
                .tag("model", k.model()).tag("mode", k.mode()).tag("status", k.status()).tag("entry_point", k.entryPoint())
                .register(registry));
    }

    private Counter refusal(String dimension, String scope) {
        RefusalKey key = new RefusalKey(dimension, scope);
        Counter c = refusals.get(key);
        return c != null ? c : refusals.computeIfAbsent(key, k -> Counter.builder(REFUSALS)
                .description("requests refused by a limit (rate, tokens, concurrency, credit caps) or the wallet")
                .tag("dimension", k.dimension()).tag("scope", k.scope()).register(registry));
    }
}
