package io.aimp.gateway.bench;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.runs.RunPipelineAccess;
import io.aimp.gateway.runs.RunRequest;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stage 2, request validation, as {@code RunService.submit} does it before the hooks: the body parsed
 * by the application's JSON mapper, the envelope checks, the model look-up and permissions, the input
 * JSON Schema, media references and the params schema ({@code whole}); and its parts alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 1)
public class ValidationBenchmark {

    private BenchGateway gateway;
    private ObjectMapper json;
    private CatalogService catalog;
    private MediaService media;
    private Principal principal;
    private JsonNode body;
    private RunRequest request;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start(Map.of());
        json = gateway.json;
        catalog = gateway.bean(CatalogService.class);
        media = gateway.bean(MediaService.class);
        principal = gateway.principal;
        body = json.readTree(BenchGateway.REQUEST);
        request = gateway.request;
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }

    @Benchmark
    public JsonNode parseJson() {
        return json.readTree(BenchGateway.REQUEST);
    }

    @Benchmark
    public RunRequest envelope() {
        return RunPipelineAccess.parse(body);
    }

    @Benchmark
    public List<FieldError> inputSchema() {
        return gateway.mode.validateInput(request.input());
    }

    @Benchmark
    public RunRequest whole() {
        RunRequest req = RunPipelineAccess.parse(json.readTree(BenchGateway.REQUEST));
        PublishedModel model = catalog.find(req.model()).filter(m -> m.visibleTo(principal.workspaceId())).orElseThrow();
        if (!principal.mayUseModel(model.slug(), model.id())) {
            throw new IllegalStateException("model not allowed");
        }
        principal.require(Permission.RUN_MODELS);
        io.aimp.gateway.catalog.Mode mode = model.mode(req.mode()).orElseThrow();
        List<FieldError> errors = new ArrayList<>(mode.validateInput(req.input()));
        media.resolveRefs(principal, req.input(), mode.inputSchema());
        errors.addAll(mode.validateParams(req.params()));
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the benchmark request is invalid: " + errors);
        }
        return req;
    }
}
