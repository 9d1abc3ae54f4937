package io.aimp.gateway.providers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One try of one route, as the execution log records it.
 *
 * @param routeIndex   position of the route in the fallback list, from 0
 * @param tryNumber    1 for the first try of the route, 2 and 3 for retries
 * @param outcome      {@code ok}, {@code failed} (the provider was called) or {@code skipped}
 *                     (not called: circuit open or provider not configured)
 * @param failureClass {@code null} when ok
 * @param httpStatus   the provider's status, {@code null} when no answer arrived
 */
public record Attempt(int routeIndex, String provider, String model, int tryNumber, String outcome,
                      ProviderFailure.FailureClass failureClass, Integer httpStatus, long latencyMs) {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public boolean ok() {
        return OK.equals(outcome);
    }

    /** The problem-answer shape: names and classes only, never bodies or keys. */
    Map<String, Object> toWire() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("model", model);
        m.put("outcome", outcome);
        m.put("failure_class", failureClass == null ? null : failureClass.wireName());
        m.put("http_status", httpStatus);
        return java.util.Collections.unmodifiableMap(m);
    }
}
