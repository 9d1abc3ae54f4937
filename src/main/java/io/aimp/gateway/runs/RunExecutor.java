package io.aimp.gateway.runs;

import io.aimp.gateway.catalog.Kind;
import java.util.Set;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import tools.jackson.databind.node.ObjectNode;

/** Runs the modes of one kind. One bean per kind; the run pipeline picks it by {@link #kind()}. */
public interface RunExecutor {

    Kind kind();

    /**
     * The kind-dependent run options this kind honours ({@link RunOptions#DRY_RUN}, {@link RunOptions#AGAIN});
     * a run or job of this kind that sends another is refused with a 400 naming the option.
     */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Executes one run. Provider calls go through {@link Execution#route}, which logs every attempt.
     *
     * @throws io.aimp.gateway.common.GatewayException category {@code execution} when the model ran and
     *         failed, {@code provider} when every route failed, {@code configuration} when nothing can run it
     */
    ExecutionResult execute(Execution execution);

    /**
     * Refuses, before anything is reserved, a run that cannot execute without leaving something behind
     * (saved content, indexed or deleted vectors ...) when its caller asked for a side-effect-free run (the
     * playground). The default refuses nothing: what an executor keeps on success goes through
     * {@link Execution#onSuccessfulCommit}, which a side-effect-free run drops.
     *
     * @throws GatewayException 400 {@code side_effects_not_allowed} naming the field to change
     */
    default void refuseSideEffects(Mode mode, ObjectNode params) {
    }

    /** The refusal of {@link #refuseSideEffects}: {@code reason} says what the run would keep. */
    static GatewayException sideEffectRefused(String path, String reason) {
        return GatewayException.of(ErrorCategory.INVALID_REQUEST,
                "side_effects_not_allowed", reason + "; playground runs are side-effect free: use POST /api/runs for it")
                .error(path, reason).build();
    }
}
