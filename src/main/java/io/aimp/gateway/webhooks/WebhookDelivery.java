package io.aimp.gateway.webhooks;

/**
 * One event for one endpoint, and what became of it.
 *
 * @param eventId        the event's id, the same for every endpoint and every attempt (the receiver's
 *                       deduplication key, sent as {@code webhook-id})
 * @param payload        the JSON body sent, fixed when the event was published
 * @param attempts       attempts started so far (a claim starts one)
 * @param nextAttemptAt  when a pending delivery may be sent (epoch ms)
 * @param responseStatus the last attempt's HTTP status, null when it got none
 * @param lastError      why the last attempt failed, null after a success
 */
record WebhookDelivery(String id, String workspaceId, String endpointId, String eventId, String eventType,
                       String payload, DeliveryStatus status, int attempts, long nextAttemptAt, Long leaseUntil,
                       Integer responseStatus, String lastError, long createdAt, long updatedAt, Long completedAt) {
}
