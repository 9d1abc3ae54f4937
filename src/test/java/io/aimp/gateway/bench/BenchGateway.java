package io.aimp.gateway.bench;

import io.aimp.gateway.Application;
import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.billing.Pricer;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.logs.ExecutionLogEntry;
import io.aimp.gateway.logs.UsageRecord;
import io.aimp.gateway.runs.RunContext;
import io.aimp.gateway.runs.RunPipelineAccess;
import io.aimp.gateway.runs.RunRecord;
import io.aimp.gateway.runs.RunRequest;
import io.aimp.gateway.runs.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The real application for one benchmark trial: the default configuration (authentication, limits,
 * wallet, idempotency, durable usage records), SQLite in a fresh temporary data directory, no web
 * server, and one published model ({@value #MODEL}: a text model executed in process, priced per run
 * and per token, without release limits). The bootstrap workspace's owner key {@link #API_KEY} calls.
 */
final class BenchGateway implements AutoCloseable {

    static final String API_KEY = "aimp_sk_" + "JmhB3nch0123456789abcdefghijklmnopqrstuvwxyzABCDEF".substring(0, 43);
    static final String MODEL = "bench-local";
    /** A typical synchronous run request: a short text, no params. */
    static final byte[] REQUEST = ("{\"model\":\"" + MODEL + "\",\"mode\":\"execute\",\"input\":{\"text\":"
            + "\"The gateway checks the caller's key, the request and the limits before it calls a provider. "
            + "It reserves the worst-case cost in the wallet and settles the actual cost afterwards. "
            + "Every run leaves one usage record, its execution log and a ledger entry, committed together. "
            + "Refused requests are logged too.\"},\"params\":{}}").getBytes(StandardCharsets.UTF_8);
    /** The usage a finished run reports (tokens in, tokens out). */
    static final long INPUT_TOKENS = 80;
    static final long OUTPUT_TOKENS = 25;

    private static final String CATALOG = """
            slug: bench-local
            name: Benchmark (in process)
            kind: text
            description: Extractive summary in process, priced per run and per token, no release limits.
            visibility: public
            modes:
              execute:
                input:
                  type: object
                  required: [text]
                  additionalProperties: false
                  properties:
                    text: {type: string, minLength: 1, maxLength: 20000}
            releases:
              - version: 1.0.0
                routes: [{provider: local, model: extractive-summary, timeout_ms: 10000}]
                pricing: {per_run: 0.000001, per_1k_input_tokens: 0.0001, per_1k_output_tokens: 0.0002}
            text:
              prompt: "{{input.text}}"
            """;

    private final Path dataDir;
    private final ConfigurableApplicationContext context;
    final ObjectMapper json;
    final Principal principal;
    final PublishedModel model;
    final Release release;
    final Mode mode;
    /** {@link #REQUEST}, parsed as the run service does. */
    final RunRequest request;
    private final JsonNode output;
    private final AtomicLong runIds = new AtomicLong();

    private BenchGateway(Path dataDir, ConfigurableApplicationContext context) {
        this.dataDir = dataDir;
        this.context = context;
        this.json = bean(ObjectMapper.class);
        this.principal = bean(Authenticator.class).authenticate(API_KEY, null);
        this.model = bean(CatalogService.class).find(MODEL).orElseThrow();
        this.release = model.current();
        this.mode = model.mode("execute").orElseThrow();
        this.request = RunPipelineAccess.parse(json.readTree(REQUEST));
        this.output = json.readTree("{\"text\":\"The gateway checks the caller's key, the request and the limits before it calls a provider.\"}");
    }

    /** Starts the application; {@code properties} add to or override the defaults (e.g. limits). */
    static BenchGateway start(Map<String, String> properties) {
        Path dir;
        try {
            dir = Files.createTempDirectory("aimp-jmh-");
            Files.createDirectories(dir.resolve("catalog"));
            Files.writeString(dir.resolve("catalog/bench-local.yaml"), CATALOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("aimp.data-dir", dir.resolve("data").toString());
        props.put("aimp.catalog-dir", dir.resolve("catalog").toString());
        props.put("aimp.demo-catalog", "false");
        props.put("aimp.bootstrap-api-key", API_KEY);
        props.put("aimp.bootstrap-owner-password", "jmh-bench-owner-password");
        props.put("aimp.secret-key", "jmh-bench-secret-key-0123456789abcdefghijklmnop");
        props.put("aimp.starting-credits", "1000000");
        props.put("logging.level.root", "WARN");
        props.putAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties(props)
                .run();
        return new BenchGateway(dir, context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /**
     * A run of {@link #request} as the hooks see it after validation. Its id comes from a counter:
     * {@code RunService} makes the run id before the stages, and {@link IdsBenchmark} measures ids alone.
     */
    RunContext newRun() {
        return new RunContext("run_01JMHBENCH" + runIds.incrementAndGet(), principal, model, release, mode, request, "req_jmh", "rest", null, null, null);
    }

    /** The run's final record after the provider answered (as {@code RunService.succeeded} builds it). */
    RunRecord succeeded(RunContext run) {
        long now = System.currentTimeMillis();
        long cost = Pricer.actual(release.pricing(), model.kind(), INPUT_TOKENS, OUTPUT_TOKENS, 0);
        return RunRecord.builder().id(run.runId()).workspaceId(principal.workspaceId()).modelId(model.id())
                .modelSlug(model.slug()).releaseVersion(release.version()).mode(mode.name()).kind(model.kind().wireName())
                .status(RunStatus.SUCCEEDED).input(request.input()).params(request.params()).options(request.options())
                .output(output).usage(INPUT_TOKENS, OUTPUT_TOKENS, 0, false, cost).provider("local")
                .providerModel("extractive-summary").principalType(principal.type().wireName()).userId(principal.userId())
                .keyId(principal.keyId()).keyPrefix(principal.keyPrefix()).requestId(run.requestId())
                .entryPoint(run.entryPoint()).createdAt(now - 2).startedAt(now - 1).completedAt(now).build();
    }

    /** The run's usage row (as {@code RunService.usageOf} builds it). */
    static UsageRecord usageOf(RunRecord r) {
        return new UsageRecord(Ids.newId("use"), r.id(), r.workspaceId(), r.principalType(), r.userId(), r.keyId(),
                r.keyPrefix(), r.modelId(), r.modelSlug(), r.releaseVersion(), r.mode(), r.kind(), r.provider(),
                r.providerModel(), r.inputTokens(), r.outputTokens(), r.units(), r.usageEstimated(), r.costMicros(),
                r.status().wireName(), null, r.completedAt() - r.startedAt(), r.requestId(), r.entryPoint(),
                r.parentRunId(), r.completedAt());
    }

    /** The run's one provider attempt (as {@code Execution} logs it). */
    static ExecutionLogEntry attemptOf(RunRecord r) {
        return new ExecutionLogEntry(Ids.newId("xlog"), r.id(), r.workspaceId(), 1, "provider_attempt",
                r.provider() + "/" + r.providerModel(), r.provider(), r.providerModel(), "ok", null, null, 1,
                "{\"route_index\":0,\"try\":1}", r.completedAt());
    }

    @Override
    public void close() {
        context.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
