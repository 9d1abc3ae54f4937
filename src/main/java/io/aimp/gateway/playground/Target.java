package io.aimp.gateway.playground;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One model a playground request runs: {@code {model, mode?, release?, params?, overrides?}}.
 *
 * @param release   the release to run (a version the model publishes), or {@code null} for the current one
 * @param overrides fields of the model's kind block replaced for this call only, or {@code null}
 * @param path      where the target sits in the request, e.g. {@code $.targets[1]}
 */
record Target(String model, String mode, String release, ObjectNode params, JsonNode overrides, String path) {
}
