package io.aimp.gateway.webhooks;

import io.aimp.gateway.common.FeatureFlag;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressPolicy;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhookConfig {

    /** Of an answer only the status matters; a little of the body is read so the connection ends cleanly. */
    private static final int MAX_ANSWER_BYTES = 4096;

    @Bean
    WebhookEgress webhookEgress(WebhookProperties properties) {
        return new WebhookEgress(new EgressClient(EgressPolicy.of(WebhookProperties.ALLOWLIST, properties.allowedHosts(), 0,
                properties.timeout(), MAX_ANSWER_BYTES)));
    }

    @Bean
    WebhookEventType runCompleted() {
        return new WebhookEventType(RunCompletedEvents.TYPE,
                "an asynchronous run ended: succeeded, failed (also when the gateway running it stopped) or canceled "
                        + "(also while it was queued); data is the run object");
    }

    @Bean
    FeatureFlag webhooksFeature(WebhookProperties properties, WebhookService service) {
        return FeatureFlag.of("webhooks", !properties.allowedHosts().isEmpty(),
                Map.of("events", List.copyOf(service.eventTypes())));
    }
}
