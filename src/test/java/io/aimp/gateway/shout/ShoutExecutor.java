package io.aimp.gateway.shout;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import java.util.Locale;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Runs the test kind {@code shout}: {@code {text}} in capitals plus the model's suffix; no provider call. */
public class ShoutExecutor implements RunExecutor {

    @Override
    public Kind kind() {
        return ShoutSettings.SHOUT;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        ShoutSettings s = run.model().settings(ShoutSettings.class);
        String text = run.input().path("text").asString("").toUpperCase(Locale.ROOT) + s.suffix().repeat(s.times());
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("text", text);
        return new ExecutionResult(output, Usage.NONE, "local", "shout");
    }
}
