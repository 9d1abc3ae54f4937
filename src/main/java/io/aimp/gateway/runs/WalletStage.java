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
 * is submitted, an async run when the worker starts it), lets the run's {@link Meter} extend that hold
 * before each provider call that needs more ({@link Meter.Funds}), then in the completion transaction
 * debits the actual cost of the provider work the run consumed, whatever its end state, and gives the
 * rest back. A refusal before any provider call gives everything back.
 */
@Component
@Order(300)
class WalletStage implements RunHook {

    static final String RESERVATION = "wallet.reservation";
    static final String ESTIMATE = "billing.estimate";
    static final String FUNDS = "wallet.funds";
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
        long leaseUntil = clock.millis() + RunService.runTimeout(ctx).toMillis() + billing.holdLeaseMarginMillis();
        Hold hold = new Hold(ctx, leaseUntil);
        if (worstCase > 0) {
            hold.reservation = billing.reserve(ctx.runId(), ctx.principal().workspaceId(), worstCase, leaseUntil);
            ctx.attributes().put(RESERVATION, hold.reservation);
        }
        ctx.attributes().put(FUNDS, hold);
    }

    /** The run's hold as its meter sees it; the first extension of a free run's empty hold reserves. */
    private final class Hold implements Meter.Funds {
        private final RunContext ctx;
        private final long leaseUntil;
        private Reservation reservation;

        Hold(RunContext ctx, long leaseUntil) {
            this.ctx = ctx;
            this.leaseUntil = leaseUntil;
        }

        @Override
        public synchronized long held() {
            return reservation == null ? 0 : reservation.amount();
        }

        @Override
        public synchronized boolean extendTo(long total) {
            if (reservation == null) {
                try {
                    reservation = billing.reserve(ctx.runId(), ctx.principal().workspaceId(), total, leaseUntil);
                } catch (io.aimp.gateway.common.GatewayException insufficient) {
                    return false;
                }
            } else {
                Optional<Reservation> bigger = billing.extend(reservation, total - reservation.amount(), leaseUntil);
                if (bigger.isEmpty()) {
                    return false;
                }
                reservation = bigger.get();
            }
            ctx.attributes().put(RESERVATION, reservation);
            return true;
        }
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord finished) {
        if (!(ctx.attributes().get(RESERVATION) instanceof Reservation r) || !finished.status().terminal()) {
            return;
        }
        // succeeded, failed or canceled: the run pays for the provider work it consumed, at most its hold
        ctx.attributes().put(DEBITED, billing.settleInTransaction(r, finished.costMicros(), finished.userId()));
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
