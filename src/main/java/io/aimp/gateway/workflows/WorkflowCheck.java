package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettingsCheck;
import io.aimp.gateway.catalog.Mode;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Validates the {@code workflow:} block of catalog files when the catalog loads. */
@Component
class WorkflowCheck implements KindSettingsCheck {

    private final WorkflowProperties properties;

    WorkflowCheck(WorkflowProperties properties) {
        this.properties = properties;
    }

    @Override
    public Kind kind() {
        return Kind.WORKFLOW;
    }

    @Override
    public void check(JsonNode block, Map<String, Mode> modes, String slug, BiConsumer<String, String> problem) {
        WorkflowParser.parse(block, modes, slug, properties, problem);
    }
}
