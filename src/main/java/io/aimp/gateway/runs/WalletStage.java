package io.aimp.gateway.runs;

import io.aimp.gateway.billing.BillingService;
import io.aimp.gateway.billing.BillingService.Reservation;
import io.aimp.gateway.billing.Pricer;
import java.time.Clock;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The wallet stage: reserves the run's worst-case cost before it executes (a synchronous run when it
 * is submitted, an async run when the worker starts it), then in the completion transaction debits
 * the actual cost and gives the rest back — or gives everything back when the run did not succeed.
 */
@Component
@Order(300)
class WalletStage implements RunHook {

    static final String RESERVATION = "wallet.reservation";
    static final String ESTIMATE = "billing.estimate";
    private static final String DEBITED = "wallet.debited";

    private final BillingService billing;
    private final Pricer pricer;
    private final Clock clock;

    WalletStage(BillingService billing, Pricer pricer, Clock clock) {
        this.billing = billing;
        this.pricer = pricer;
        this.clock = clock;
    }

    /** The worst case of a run, computed once per run and shared with the limits stage. */
    static Pricer.Estimate estimate(Pricer pricer, RunContext ctx) {
        return (Pricer.Estimate) ctx.attributes().computeIfAbsent(ESTIMATE, k -> pricer.estimate(
                ctx.release().pricing(), ctx.release().limits(), ctx.model().kind(), ctx.request().input(),
                ctx.request().params()));
    }

    @Override
    public String switchProperty() {
        return "aimp.billing.enabled";
    }

    @Override
    public Optional<RunService.Replayed> before(RunContext ctx) {
        if (!ctx.request().async()) {
            reserve(ctx);
        }
        return Optional.empty();
    }

    @Override
    public void beforeQueuedStart(RunContext ctx) {
        reserve(ctx);
    }

    private void reserve(RunContext ctx) {
        long worstCase = estimate(pricer, ctx).costMicros();
        ctx.attributes().put(RunContext.COST_CEILING, worstCase);
        if (worstCase == 0) {
            return; // a free release: nothing to hold
        }
        long leaseUntil = clock.millis() + RunService.runTimeout(ctx).toMillis() + billing.holdLeaseMarginMillis();
        Reservation r = billing.reserve(ctx.runId(), ctx.principal().workspaceId(), worstCase, leaseUntil);
        ctx.attributes().put(RESERVATION, r);
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord finished) {
        if (!(ctx.attributes().get(RESERVATION) instanceof Reservation r) || !finished.status().terminal()) {
            return;
        }
        if (finished.status() == RunStatus.SUCCEEDED) {
            ctx.attributes().put(DEBITED, billing.settleInTransaction(r, finished.costMicros(), finished.userId()));
        } else {
            billing.releaseInTransaction(r);
            ctx.attributes().put(DEBITED, 0L);
        }
    }

    @Override
    public void afterCommit(RunContext ctx, RunRecord finished) {
        if (ctx.attributes().remove(RESERVATION) instanceof Reservation r) {
            billing.afterCommit(r, (Long) ctx.attributes().getOrDefault(DEBITED, 0L));
        }
    }

    @Override
    public void onAbort(RunContext ctx, RuntimeException cause) {
        if (ctx.attributes().remove(RESERVATION) instanceof Reservation r) {
            billing.release(r);
        }
    }
}
