package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.KindSettings;
import java.time.Duration;
import java.util.List;

/** The workflow catalog reader as the catalog tests need it, with {@code api.example.com} allowlisted for http blocks. */
public final class WorkflowChecks {

    private WorkflowChecks() {
    }

    public static KindSettings<WorkflowDefinition> reader() {
        return new WorkflowDefinition.Reader(new WorkflowProperties(8, 10, Duration.ofMinutes(5),
                new WorkflowProperties.Http(List.of("api.example.com"), Duration.ofSeconds(5), 1024)));
    }
}
