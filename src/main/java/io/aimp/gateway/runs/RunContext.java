package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Release;
import java.util.HashMap;
import java.util.Map;

/**
 * One run as the hooks see it. Hooks may keep their own state between stages in {@link #attributes()}.
 *
 * @param entryPoint {@code rest}, {@code mcp}, {@code workflow}, {@code job}, ...
 */
public record RunContext(String runId, Principal principal, PublishedModel model, Release release, Mode mode,
                         RunRequest request, String requestId, String entryPoint, String idempotencyKey,
                         String parentRunId, Map<String, Object> attributes) {

    public RunContext {
        attributes = attributes == null ? new HashMap<>() : attributes;
    }
}
