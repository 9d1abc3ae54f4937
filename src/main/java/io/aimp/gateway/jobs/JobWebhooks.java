package io.aimp.gateway.jobs;

import io.aimp.gateway.webhooks.WebhookEventType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook event jobs publish. */
@Configuration(proxyBeanMethods = false)
class JobWebhooks {

    static final String COMPLETED = "job.completed";

    @Bean
    WebhookEventType jobCompleted() {
        return new WebhookEventType(COMPLETED, "a bulk job ended (completed, completed_with_errors, failed or canceled);"
                + " data is the job object");
    }
}
