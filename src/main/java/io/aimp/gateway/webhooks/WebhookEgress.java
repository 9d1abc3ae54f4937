package io.aimp.gateway.webhooks;

import io.aimp.gateway.egress.EgressClient;

/**
 * The egress client deliveries go through: {@code aimp.webhooks.allowed-hosts}, no redirects, the
 * attempt timeout, public addresses only. A bean of its own so a test can reach its loopback receiver
 * with a wider address rule.
 */
record WebhookEgress(EgressClient client) {
}
