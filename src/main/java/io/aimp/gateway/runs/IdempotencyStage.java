package io.aimp.gateway.runs;

import io.aimp.gateway.idempotency.IdempotencyKeys;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The run pipeline's idempotency stage: claims the run's {@code Idempotency-Key} through
 * {@link IdempotencyKeys} before anything runs, and stores the response in the run's commit.
 */
@Component
@Order(200)
class IdempotencyStage implements RunHook {

    private static final String CLAIM = "idempotency.claim";

    private final IdempotencyKeys keys;

    IdempotencyStage(IdempotencyKeys keys) {
        this.keys = keys;
    }

    @Override
    public String switchProperty() {
        return "aimp.idempotency.enabled";
    }

    @Override
    public Optional<RunService.Replayed> before(RunContext ctx) {
        IdempotencyKeys.Claim claim = keys.claim(null, ctx.principal(), ctx.idempotencyKey(), ctx.request().body(),
                RunService.runTimeout(ctx));
        if (claim.replay().isPresent()) {
            IdempotencyKeys.Replay r = claim.replay().get();
            return Optional.of(new RunService.Replayed(r.status(), r.body(), r.resourceId()));
        }
        if (claim.held()) {
            ctx.attributes().put(CLAIM, claim);
        }
        return Optional.empty();
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord run) {
        if (!(ctx.attributes().get(CLAIM) instanceof IdempotencyKeys.Claim claim)) {
            return;
        }
        if (run.status() == RunStatus.FAILED && run.error() != null) {
            claim.complete(run.error().path("status").asInt(500), run.error(), run.id());
        } else {
            claim.complete(run.status() == RunStatus.QUEUED ? 202 : 200,
                    RunViews.view(run, ctx.release() == null ? null : ctx.release().deprecated()), run.id());
        }
    }

    @Override
    public void onAbort(RunContext ctx, RuntimeException cause) {
        if (ctx.attributes().remove(CLAIM) instanceof IdempotencyKeys.Claim claim) {
            // nothing ran (or nothing committed): free the key so a retry executes exactly once
            claim.release();
        }
    }
}
