package io.aimp.gateway.providers;

import io.aimp.gateway.common.GatewayException;
import java.util.List;

/**
 * A routed call that ended without a result. Carries every attempt so the caller can write the
 * execution log; the problem answer carries them too, as {@code attempts}, without bodies or keys.
 */
public abstract sealed class RoutingException extends GatewayException permits AllRoutesFailed, ProviderRejectedRequest {

    private final List<Attempt> attempts;

    RoutingException(Builder builder, List<Attempt> attempts) {
        super(builder.with("attempts", attempts.stream().map(Attempt::toWire).toList()));
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    static String summary(List<Attempt> attempts) {
        StringBuilder sb = new StringBuilder();
        for (Attempt a : attempts) {
            if (a.ok()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(a.provider()).append('/').append(a.model()).append(": ").append(a.failureClass().wireName());
            if (a.httpStatus() != null) {
                sb.append(" (HTTP ").append(a.httpStatus()).append(')');
            }
        }
        return sb.toString();
    }
}
