package io.aimp.gateway.runs;

import io.aimp.gateway.billing.Pricer;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.ReleaseLimits;
import io.aimp.gateway.limits.LimitSet;
import io.aimp.gateway.limits.LimitsService;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The limits stage, first of the hooks: admits the run against every limit that applies (workspace,
 * API key, role, release) with its worst-case tokens and credits, lets the run's {@link Meter} take
 * more tokens before a provider call whose bound exceeds what the run holds, and settles them with the
 * actual usage after the run committed, whatever its end state. An async run is counted when it is
 * queued, with its estimate, and corrected to its actual usage when it ends.
 *
 * <p>A concurrency slot is held while a run executes, from its start to its end, whatever door it
 * came through: a synchronous run takes it when it is admitted (and is refused with 429 when every
 * slot is taken), an async run takes it when the worker starts it — when none is free the run goes
 * back to the queue and is tried again {@link #SLOT_RETRY_MS} later, it does not fail. A nested run
 * (a workflow step, an assistant's tool call) executes inside its parent's workspace, key and role
 * slots; only its release's own {@code max_concurrent} still takes a slot.
 */
@Component
@Order(100)
class LimitsStage implements RunHook {

    static final long SLOT_RETRY_MS = 500;
    private static final String ADMISSION = "limits.admission";
    static final String TOKENS = "limits.tokens";

    private final LimitsService limits;
    private final Pricer pricer;

    LimitsStage(LimitsService limits, Pricer pricer) {
        this.limits = limits;
        this.pricer = pricer;
    }

    @Override
    public String switchProperty() {
        return "aimp.limits.enabled";
    }

    @Override
    public Optional<RunService.Replayed> before(RunContext ctx) {
        Pricer.Estimate est = WalletStage.estimate(pricer, ctx);
        LimitsService.Slots slots = ctx.request().async() ? LimitsService.Slots.NONE
                : ctx.parentRunId() != null ? LimitsService.Slots.RELEASE : LimitsService.Slots.ALL;
        hold(ctx, limits.admit(subject(ctx), est.tokens(), est.costMicros(), images(ctx, est), slots));
        return Optional.empty();
    }

    @Override
    public void beforeQueuedStart(RunContext ctx) {
        // a fresh context: the admission of the submission was settled with the estimate when the run was
        // queued; the estimate is held again here so the settle after the run corrects it to the actual usage
        long queuedTokens = WalletStage.estimate(pricer, ctx).tokens();
        hold(ctx, limits.acquireSlots(subject(ctx), queuedTokens).orElseThrow(() -> new RunDeferred(SLOT_RETRY_MS)));
    }

    @Override
    public void afterCommit(RunContext ctx, RunRecord run) {
        if (ctx.attributes().get(ADMISSION) instanceof LimitsService.Admission a) {
            if (run.status() == RunStatus.QUEUED) {
                Pricer.Estimate est = WalletStage.estimate(pricer, ctx);
                limits.settle(a, est.tokens(), est.costMicros(), images(ctx, est));
            } else {
                limits.settle(a, run.inputTokens() + run.outputTokens(), run.costMicros(),
                        Kind.IMAGE.equals(ctx.model().kind()) ? run.units() : 0);
            }
        }
    }

    @Override
    public void onAbort(RunContext ctx, RuntimeException cause) {
        if (ctx.attributes().get(ADMISSION) instanceof LimitsService.Admission a) {
            limits.release(a);
        }
    }

    /** Keeps the admission for the settle, and lets the run's meter take more tokens through it before a call. */
    private void hold(RunContext ctx, LimitsService.Admission admission) {
        ctx.attributes().put(ADMISSION, admission);
        ctx.attributes().put(TOKENS, new Meter.Tokens() {
            @Override
            public long held() {
                return admission.tokensHeld();
            }

            @Override
            public void takeTo(long total) {
                limits.takeMoreTokens(admission, total - admission.tokensHeld());
            }
        });
    }

    /** The images a run asks for ({@code params.n}, counted as n), for image models; else none. */
    private static long images(RunContext ctx, Pricer.Estimate est) {
        return Kind.IMAGE.equals(ctx.model().kind()) ? est.items() : 0;
    }

    private static LimitsService.Subject subject(RunContext ctx) {
        ReleaseLimits rl = ctx.release().limits() == null ? ReleaseLimits.NONE : ctx.release().limits();
        LimitSet release = new LimitSet(asLong(rl.requestsPerMinute()), asLong(rl.tokensPerMinute()),
                asLong(rl.maxConcurrent()), null, null, asLong(rl.imagesPerMinute()), asLong(rl.imagesPerDay()));
        return new LimitsService.Subject(ctx.principal().workspaceId(), ctx.principal().keyId(),
                ctx.principal().role(), ctx.model().id() + "@" + ctx.release().version(), release);
    }

    private static Long asLong(Integer v) {
        return v == null ? null : v.longValue();
    }
}
