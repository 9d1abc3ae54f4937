package io.aimp.gateway.runs;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed {@code POST /api/runs} body.
 *
 * @param model     slug or id
 * @param mode      the contract mode, {@code execute} when omitted
 * @param scope     the vector namespace, or {@code null}
 * @param timeoutMs the caller's cap on the whole run, or {@code null}
 * @param persist   whether input and output are kept with the run (default true)
 * @param release   the release version the caller pinned ({@code options.release}), or {@code null}
 * @param dryRun    {@code options.dry_run}
 * @param again     {@code options.again}
 */
public record RunRequest(String model, String mode, String scope, ObjectNode input, ObjectNode params, boolean async,
                         Long timeoutMs, boolean persist, ObjectNode options, JsonNode body, String release,
                         boolean dryRun, boolean again) {
}
