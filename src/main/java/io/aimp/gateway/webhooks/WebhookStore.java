package io.aimp.gateway.webhooks;

import java.util.List;
import java.util.Optional;

/**
 * Endpoints and deliveries. A delivery's moves are conditional on the state and attempt they leave, so
 * two nodes (or a node whose lease ended and the node that claimed the delivery after it) never both
 * record an outcome for the same attempt.
 */
interface WebhookStore {

    /** Inserts an endpoint unless its workspace already has {@code max}; false, with nothing written, at the cap. */
    boolean insertEndpoint(WebhookEndpoint endpoint, int max);

    Optional<WebhookEndpoint> findEndpoint(String workspaceId, String id);

    /** A workspace's endpoints, oldest first. */
    List<WebhookEndpoint> endpoints(String workspaceId);

    /** Deletes an endpoint and its deliveries; false when the workspace has no such endpoint. */
    boolean deleteEndpoint(String workspaceId, String id);

    /** The workspace's endpoints subscribed to {@code eventType}. */
    List<WebhookEndpoint> subscribed(String workspaceId, String eventType);

    /** Inserts a pending delivery, sendable from {@code nextAttemptAt}. */
    void insertDelivery(WebhookDelivery delivery);

    /** An endpoint's deliveries, newest first. */
    List<WebhookDelivery> deliveries(String workspaceId, String endpointId, int limit, int offset);

    Optional<WebhookDelivery> findDelivery(String id);

    /**
     * Claims up to {@code max} deliveries: pending ones due by {@code now}, and delivering ones whose lease
     * ended before {@code now}. Each claim starts one attempt and holds the delivery until {@code leaseUntil}.
     */
    List<Claimed> claim(int max, long now, long leaseUntil);

    /** A claimed delivery with where it goes and the secret that signs it. */
    record Claimed(WebhookDelivery delivery, String url, String secret) {
    }

    /**
     * Records the outcome of attempt {@code attempt} of a delivering delivery: {@code SUCCEEDED} or
     * {@code FAILED} end it; {@code PENDING} schedules the next attempt at {@code nextAttemptAt}.
     *
     * @return false when the delivery is no longer in that attempt (claimed again after its lease ended, or deleted)
     */
    boolean record(String id, int attempt, DeliveryStatus to, Integer responseStatus, String error, long nextAttemptAt,
                   long now);

    /**
     * Makes every delivery still delivering due again at {@code now} (its attempt stays counted): for a single
     * node starting up, whose attempts in flight died with the process that made them.
     *
     * @return how many
     */
    int releaseAll(long now);

    /** Deliveries waiting to be sent (a metric: the queue's depth). */
    long countPending();
}
