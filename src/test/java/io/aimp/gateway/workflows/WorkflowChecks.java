package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.KindSettingsCheck;
import java.time.Duration;
import java.util.List;

/** The workflow catalog check as the catalog tests need it, with {@code api.example.com} allowlisted for http blocks. */
public final class WorkflowChecks {

    private WorkflowChecks() {
    }

    public static KindSettingsCheck check() {
        return new WorkflowCheck(new WorkflowProperties(8, 10, Duration.ofMinutes(5),
                new WorkflowProperties.Http(List.of("api.example.com"), Duration.ofSeconds(5), 1024)));
    }
}
