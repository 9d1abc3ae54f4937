package io.aimp.gateway.runs;

import io.aimp.gateway.billing.Pricer;
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
 * queued, with its estimate.
 */
@Component
@Order(100)
class LimitsStage implements RunHook {

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
        ReleaseLimits rl = ctx.release().limits() == null ? ReleaseLimits.NONE : ctx.release().limits();
        LimitSet release = new LimitSet(asLong(rl.requestsPerMinute()), asLong(rl.tokensPerMinute()),
                asLong(rl.maxConcurrent()), null, null);
        var subject = new LimitsService.Subject(ctx.principal().workspaceId(), ctx.principal().keyId(),
                ctx.principal().role(), ctx.model().id() + "@" + ctx.release().version(), release);
        LimitsService.Admission admission = limits.admit(subject, est.tokens(), est.costMicros());
        ctx.attributes().put(ADMISSION, admission);
        // the run's meter takes each provider call's bound beyond the estimate before the call
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
        return Optional.empty();
    }

    @Override
    public void afterCommit(RunContext ctx, RunRecord run) {
        if (ctx.attributes().get(ADMISSION) instanceof LimitsService.Admission a) {
            if (run.status() == RunStatus.QUEUED) {
                Pricer.Estimate est = WalletStage.estimate(pricer, ctx);
                limits.settle(a, est.tokens(), est.costMicros());
            } else {
                limits.settle(a, run.inputTokens() + run.outputTokens(), run.costMicros());
            }
        }
    }

    @Override
    public void onAbort(RunContext ctx, RuntimeException cause) {
        if (ctx.attributes().get(ADMISSION) instanceof LimitsService.Admission a) {
            limits.release(a);
        }
    }

    private static Long asLong(Integer v) {
        return v == null ? null : v.longValue();
    }
}
