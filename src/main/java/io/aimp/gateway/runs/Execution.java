package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.billing.Pricer;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.logs.ExecutionLogEntry;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.ImageEditRequest;
import io.aimp.gateway.providers.ImageRequest;
import io.aimp.gateway.providers.ImageResult;
import io.aimp.gateway.providers.ModerationRequest;
import io.aimp.gateway.providers.ModerationResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.Route;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.catalog.Pricing;
import java.util.function.Function;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.ToolCall;
import io.aimp.gateway.providers.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything an executor may use for one run: the resolved model, release and mode, the validated
 * input, and metered provider access ({@link #chat}, {@link #embed}): the only way an executor reaches
 * a provider. Every provider attempt, with its usage and cost, and every step an executor reports
 * lands in the run's execution log.
 */
public final class Execution {

    private final String runId;
    private final Principal principal;
    private final PublishedModel model;
    private final Release release;
    private final Mode mode;
    private final ObjectNode input;
    private final ObjectNode params;
    private final String scope;
    private final Duration timeout;
    private final Meter meter;
    private final Pricer pricer;
    private final Clock clock;
    private final List<ExecutionLogEntry> log = new ArrayList<>();
    private final List<Runnable> onSuccess = new ArrayList<>();
    private final String requestId;
    private final boolean dryRun;
    private final boolean again;
    private final boolean sideEffectFree;

    Execution(String runId, Principal principal, PublishedModel model, Release release, Mode mode, ObjectNode input,
              ObjectNode params, String scope, Duration timeout, Meter.Funds funds, Meter.Tokens tokens, long deadlineMillis,
              io.aimp.gateway.providers.Router router, Pricer pricer, Clock clock, String requestId,
              boolean dryRun, boolean again, boolean sideEffectFree) {
        this.runId = runId;
        this.dryRun = dryRun;
        this.again = again;
        this.sideEffectFree = sideEffectFree;
        this.requestId = requestId;
        this.principal = principal;
        this.model = model;
        this.release = release;
        this.mode = mode;
        this.input = input;
        this.params = params;
        this.scope = scope;
        this.timeout = timeout;
        this.pricer = pricer;
        this.clock = clock;
        this.meter = new Meter(router, clock, deadlineMillis, funds, tokens, release.pricing().perRunMicros(), this::add);
    }

    public String runId() {
        return runId;
    }

    /** The request that started the run; nested runs carry it too. */
    public String requestId() {
        return requestId;
    }

    /** {@code options.dry_run}: report what would change, write nothing (only for kinds that declare it). */
    public boolean dryRun() {
        return dryRun;
    }

    /** {@code options.again}: redo work the kind would skip as already done (only for kinds that declare it). */
    public boolean again() {
        return again;
    }

    public Principal principal() {
        return principal;
    }

    public PublishedModel model() {
        return model;
    }

    public Release release() {
        return release;
    }

    public Mode mode() {
        return mode;
    }

    public ObjectNode input() {
        return input;
    }

    public ObjectNode params() {
        return params;
    }

    public String scope() {
        return scope;
    }

    /** The cap on the whole run (the caller's {@code timeout_ms}, else the sum of route timeouts). */
    public Duration timeout() {
        return timeout;
    }

    /** The time left until the run's deadline (zero once it passed); steps, tools and nested runs live within it. */
    public Duration remaining() {
        return Duration.ofMillis(Math.max(0, meter.deadlineMillis() - clock.millis()));
    }

    /** The run's deadline in epoch milliseconds: a nested run started for this run ends by then too. */
    public long deadlineMillis() {
        return meter.deadlineMillis();
    }

    /**
     * One metered chat completion over the run's release routes. The output cap sent is computed here
     * and nowhere else: the smaller of {@code requestedMaxTokens} (e.g. {@code params.max_tokens}) and
     * the release's {@code limits.max_tokens}, else the configured default, lowered to what the run's
     * hold can pay for.
     *
     * @throws io.aimp.gateway.common.GatewayException {@code run_timeout}, 402 {@code insufficient_funds},
     *         or the router's failure
     */
    public Routed<ChatResult> chat(List<ChatMessage> messages, Double temperature, JsonNode requestedMaxTokens,
                                   JsonNode responseSchema, List<ToolSpec> tools) {
        List<ChatMessage> sent = List.copyOf(messages);
        long cap = pricer.outputCap(requestedMaxTokens, release.limits());
        return meter.call(release, Kind.TEXT, chatInputBound(sent, tools, responseSchema), cap, 0,
                sentCap -> (provider, route) -> provider.chat(new ChatRequest(route.model(), sent, temperature,
                        (int) Math.min(sentCap, Integer.MAX_VALUE), responseSchema, tools), route.timeout()),
                ChatResult::usage);
    }

    /**
     * One metered embedding of {@code texts} or {@code images} with {@code embedder}'s routes and prices:
     * the run's own release, or a knowledge base's embedding model for retrieval. Priced by item (plus
     * input tokens where the release prices them), charged to this run.
     */
    public Routed<EmbeddingResult> embed(Release embedder, List<String> texts, List<byte[]> images) {
        long bound = 0;
        for (String t : texts) {
            bound += Pricer.utf8Bytes(t) + PER_MESSAGE_TOKENS;
        }
        for (byte[] i : images) {
            bound += i.length + PER_MESSAGE_TOKENS;
        }
        long items = texts.size() + images.size();
        return meter.call(embedder, Kind.EMBEDDING, bound, 0, items,
                cap -> (provider, route) -> provider.embed(new EmbeddingRequest(route.model(), texts, images),
                        route.timeout()),
                EmbeddingResult::usage);
    }

    /**
     * The model's answer as the JSON object the mode's output schema describes, checked against that schema: what a
     * kind that asked for structured output (a {@code responseSchema}) returns.
     *
     * @throws io.aimp.gateway.common.GatewayException 502 {@code invalid_model_output} when the answer is not a JSON
     *         object or violates the schema (with every violation)
     */
    public ObjectNode structuredOutput(String answer) {
        JsonNode node = null;
        try {
            node = JSON.readTree(answer == null ? "" : answer.strip());
        } catch (JacksonException e) {
            // answered below
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "invalid_model_output",
                    "the model's answer is not the JSON object its output schema describes").status(502).build();
        }
        var violations = mode.validateOutput(node);
        if (!violations.isEmpty()) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "invalid_model_output",
                    "the model's answer does not match the output schema of " + model.slug() + "/" + mode.name())
                    .status(502).errors(violations).build();
        }
        return (ObjectNode) node;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One metered image generation over the run's release routes, each route asked with its own model. The
     * hold covers {@code request.n()} images at {@code perImageMicros} before the call; the call is charged for
     * the images {@code accept} kept. {@code accept} runs inside the call, on each route's answer: it checks and
     * fetches the images and throws {@link io.aimp.gateway.providers.ProviderFailure} for an answer it refuses,
     * which counts as that route failing (the next route is tried; nothing is charged for it).
     *
     * @param usageOf the usage of what {@code accept} kept ({@code units} = images)
     */
    public <T> Routed<T> images(ImageRequest request, long perImageMicros,
                                Function<ImageResult, T> accept, Function<T, Usage> usageOf) {
        return imageCall(request.n(), perImageMicros, (provider, route) ->
                provider.generateImages(request.withModel(route.model()), route.timeout()), accept, usageOf);
    }

    /** One metered image edit, held, charged and refused exactly as {@link #images} is. */
    public <T> Routed<T> imageEdits(ImageEditRequest request, long perImageMicros,
                                    Function<ImageResult, T> accept, Function<T, Usage> usageOf) {
        return imageCall(request.n(), perImageMicros, (provider, route) ->
                provider.editImages(request.withModel(route.model()), route.timeout()), accept, usageOf);
    }

    /** {@code n} images at {@code perImageMicros} from {@code call} (a generation or an edit) on each route tried. */
    private <T> Routed<T> imageCall(long n, long perImageMicros, BiFunction<Provider, Route, ImageResult> call,
                                    Function<ImageResult, T> accept, Function<T, Usage> usageOf) {
        Pricing perImage = new Pricing(0, 0, 0, perImageMicros, 0);
        return meter.call(release, perImage, Kind.IMAGE, 0, 0, n,
                cap -> (provider, route) -> accept.apply(call.apply(provider, route)), usageOf);
    }

    /**
     * One metered moderation of {@code texts} (in one call) on {@code route}, a check made before the run's own work:
     * held and charged {@code priceMicros} once the provider answered, whatever its verdicts, and nothing when it
     * did not answer (the provider did no work the run could use). Its attempts land in the execution log like every
     * provider call's; what the verdicts mean is the caller's to decide.
     *
     * @throws io.aimp.gateway.common.GatewayException {@code run_timeout}, 402 {@code insufficient_funds}, or the
     *         router's failure ({@code provider} category)
     */
    public Routed<ModerationResult> moderate(RouteSpec route, long priceMicros, List<String> texts) {
        List<String> sent = List.copyOf(texts);
        return meter.check(List.of(route), priceMicros,
                (provider, r) -> provider.moderate(new ModerationRequest(r.model(), sent), r.timeout()));
    }

    /** Tokens a provider may add per message (role, separators); generous for every tokenizer in use. */
    static final int PER_MESSAGE_TOKENS = 16;

    /**
     * A provable upper bound of a chat request's input tokens: each token of a byte-level BPE covers at
     * least one byte, so the UTF-8 bytes of everything sent plus a per-message overhead bound the count.
     */
    static long chatInputBound(List<ChatMessage> messages, List<ToolSpec> tools, JsonNode responseSchema) {
        long n = PER_MESSAGE_TOKENS;
        for (ChatMessage m : messages) {
            n += PER_MESSAGE_TOKENS + bytes(m.role()) + bytes(m.content()) + bytes(m.toolCallId());
            for (ToolCall c : m.toolCalls()) {
                n += PER_MESSAGE_TOKENS + bytes(c.id()) + bytes(c.name())
                        + (c.arguments() == null ? 0 : Pricer.utf8Bytes(c.arguments().toString()));
            }
        }
        for (ToolSpec t : tools == null ? List.<ToolSpec>of() : tools) {
            n += PER_MESSAGE_TOKENS + bytes(t.name()) + bytes(t.description())
                    + (t.parametersSchema() == null ? 0 : Pricer.utf8Bytes(t.parametersSchema().toString()));
        }
        if (responseSchema != null) {
            n += PER_MESSAGE_TOKENS + Pricer.utf8Bytes(responseSchema.toString());
        }
        return n;
    }

    private static long bytes(String s) {
        return s == null ? 0 : Pricer.utf8Bytes(s);
    }

    Meter meter() {
        return meter;
    }

    /** Adds a step (workflow block, tool call, ...) to the execution log. Safe to call from several threads. */
    public synchronized void logStep(String step, String name, String outcome, long latencyMs, String detailJson) {
        log.add(new ExecutionLogEntry(Ids.newId("xlog"), runId, principal.workspaceId(), log.size() + 1, step, name, null,
                null, outcome, null, null, latencyMs, detailJson, clock.millis()));
    }

    /**
     * Registers writes that belong to a successful run (e.g. a conversation's new messages): they run
     * inside the transaction that commits the run's final state, usage and charges, and only when the
     * run succeeded. Throwing there rolls the whole commit back.
     */
    public void onSuccessfulCommit(Runnable write) {
        if (!sideEffectFree) {
            onSuccess.add(write);
        }
    }

    /**
     * Whether this run must leave nothing behind (a playground run, and the runs nested in it): its
     * {@link #onSuccessfulCommit} writes are dropped, and what it answers must not point at something kept
     * (e.g. a conversation id). Executors refused what cannot run without side effects before it was admitted
     * ({@link RunExecutor#refuseSideEffects}).
     */
    public boolean sideEffectFree() {
        return sideEffectFree;
    }

    List<Runnable> successWrites() {
        return onSuccess;
    }

    private synchronized void add(String step, String name, String provider, String model, String outcome,
                                  String failureClass, Integer httpStatus, long latencyMs, String detailJson) {
        log.add(new ExecutionLogEntry(Ids.newId("xlog"), runId, principal.workspaceId(), log.size() + 1, step, name,
                provider, model, outcome, failureClass, httpStatus, latencyMs, detailJson, clock.millis()));
    }

    List<ExecutionLogEntry> log() {
        return log;
    }
}
