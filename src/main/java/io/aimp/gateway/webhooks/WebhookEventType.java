package io.aimp.gateway.webhooks;

/**
 * An event endpoints may subscribe to. Each feature that publishes events declares its types as beans
 * (e.g. {@code run.completed}, {@code job.completed}) and publishes them with {@link WebhookService#publish}.
 *
 * @param name        {@code <object>.<what happened>}, lower case
 * @param description what happened, and what {@code data} carries
 */
public record WebhookEventType(String name, String description) {

    public WebhookEventType {
        if (name == null || !name.matches("[a-z][a-z_]*\\.[a-z][a-z_]*")) {
            throw new IllegalArgumentException("an event type is <object>.<what happened>, lower case: " + name);
        }
    }
}
