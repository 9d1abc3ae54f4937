package io.aimp.gateway.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The depth of the webhook queue: deliveries of every workspace not yet delivered or given up. */
@Component
class WebhookQueueGauge implements MeterBinder {

    private final WebhookStore store;

    WebhookQueueGauge(WebhookStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("aimp.webhook.queue.depth", store, WebhookStore::countPending)
                .description("webhook deliveries pending or being attempted").register(registry);
    }
}
