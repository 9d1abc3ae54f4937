package io.aimp.gateway.webhooks;

import java.util.List;

/** An endpoint a workspace registered: where its events go, which ones, and the secret that signs them. */
record WebhookEndpoint(String id, String workspaceId, String url, List<String> events, String secret,
                       String description, String createdBy, long createdAt) {

    WebhookEndpoint {
        events = List.copyOf(events);
    }
}
