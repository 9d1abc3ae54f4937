package io.aimp.gateway.billing;

import io.aimp.gateway.common.FeatureFlag;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Whether runs are charged to wallets ({@code aimp.billing.enabled}), in which currency. */
@Component
class BillingFeature implements FeatureFlag {

    private final boolean on;

    BillingFeature(Environment env) {
        this.on = Binder.get(env).bind("aimp.billing.enabled", Boolean.class).orElse(true);
    }

    @Override
    public String name() {
        return "billing";
    }

    @Override
    public boolean enabled() {
        return on;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("currency", "credits", "unit", "micro-credits are integers; amounts on the wire have 6 decimals");
    }
}
