package io.aimp.gateway.runs;

import io.aimp.gateway.catalog.Kind;
import java.util.Set;

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
}
