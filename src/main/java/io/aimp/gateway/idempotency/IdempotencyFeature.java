package io.aimp.gateway.idempotency;

import io.aimp.gateway.common.FeatureFlag;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Whether an {@code Idempotency-Key} on a run is honoured ({@code aimp.idempotency.enabled}). */
@Component
class IdempotencyFeature implements FeatureFlag {

    private final boolean on;

    IdempotencyFeature(Environment env) {
        this.on = Binder.get(env).bind("aimp.idempotency.enabled", Boolean.class).orElse(true);
    }

    @Override
    public String name() {
        return "idempotency";
    }

    @Override
    public boolean enabled() {
        return on;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("header", "Idempotency-Key");
    }
}
