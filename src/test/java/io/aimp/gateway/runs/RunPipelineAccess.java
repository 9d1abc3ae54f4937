package io.aimp.gateway.runs;

import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The package-private parts of the run pipeline that the micro-benchmarks in
 * {@code io.aimp.gateway.bench} measure: the request envelope parser and the limits and wallet stages
 * as the running application wired them.
 */
public final class RunPipelineAccess {

    private RunPipelineAccess() {
    }

    public static RunRequest parse(JsonNode body) {
        return RunRequestParser.parse(body);
    }

    public static RunHook limitsStage(ApplicationContext context) {
        return context.getBean(LimitsStage.class);
    }

    public static RunHook walletStage(ApplicationContext context) {
        return context.getBean(WalletStage.class);
    }
}
