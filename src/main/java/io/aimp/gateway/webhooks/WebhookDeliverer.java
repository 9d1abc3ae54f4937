package io.aimp.gateway.webhooks;

import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressException;
import io.aimp.gateway.storage.ClaimLoop;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Sends deliveries: claims them from the database with a lease (so any node may send any delivery, a
 * dead node's delivery is claimed again once its lease ends, and a restart continues with what the rows
 * say), signs each attempt and POSTs it through the egress client. A 2xx answer delivers it; any other
 * answer or a failed call schedules the next attempt after the backoff until the attempts run out; a
 * URL the egress policy refuses fails it at once (nothing was sent). Receivers see at-least-once
 * delivery: {@code webhook-id} is the same on every attempt.
 */
@Component
class WebhookDeliverer implements ApplicationRunner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final EgressClient egress;
    private final Clock clock;
    private final Database db;
    private final ClaimLoop<WebhookStore.Claimed> loop;

    WebhookDeliverer(WebhookStore store, WebhookProperties properties, WebhookEgress egress, WebhookService service,
                     Clock clock, Database db) {
        this.store = store;
        this.db = db;
        this.properties = properties;
        this.egress = egress.client();
        this.clock = clock;
        this.loop = new ClaimLoop<>("aimp-webhooks", properties.workers(), free -> {
            long now = clock.millis();
            return store.claim(free, now, now + properties.leaseMillis());
        }, this::deliver, c -> "webhook delivery " + c.delivery().id());
        service.onPublished(loop::signal);
    }

    @Override
    public void run(ApplicationArguments args) {
        // one node on SQLite: a delivery still delivering was left by a stopped process; send it again now
        // rather than when its lease ends
        if (db.dialect() == Dialect.SQLITE) {
            int n = store.releaseAll(clock.millis());
            if (n > 0) {
                log.info("{} webhook delivery(ies) left in flight by a stopped gateway will be sent again", n);
            }
        }
        loop.start();
    }

    /** One attempt of a claimed delivery, and its outcome recorded. */
    void deliver(WebhookStore.Claimed claimed) {
        WebhookDelivery d = claimed.delivery();
        long timestamp = clock.millis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "aimp-gateway-webhooks");
        headers.put("webhook-id", d.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.sign(claimed.secret(), d.eventId(), timestamp, d.payload()));
        Integer status = null;
        String error;
        boolean retry = true;
        try {
            EgressClient.Response r = egress.send("POST", claimed.url(), headers, d.payload().getBytes(StandardCharsets.UTF_8));
            status = r.status();
            if (status >= 200 && status < 300) {
                record(d, DeliveryStatus.SUCCEEDED, status, null, 0);
                return;
            }
            error = "the endpoint answered " + status;
        } catch (EgressException e) {
            error = e.getMessage();
            retry = e.reason() == EgressException.Reason.FAILED;
        }
        if (retry && d.attempts() < properties.maxAttempts()) {
            long next = clock.millis() + properties.backoffMillis(d.attempts());
            record(d, DeliveryStatus.PENDING, status, error, next);
            log.info("webhook delivery {} of {} to endpoint {}: attempt {} failed ({}); next attempt in {} ms", d.id(),
                    d.eventType(), d.endpointId(), d.attempts(), error, next - clock.millis());
        } else {
            record(d, DeliveryStatus.FAILED, status, error, 0);
            log.warn("webhook delivery {} of {} to endpoint {} failed after {} attempt(s): {}", d.id(), d.eventType(),
                    d.endpointId(), d.attempts(), error);
        }
    }

    private void record(WebhookDelivery d, DeliveryStatus to, Integer status, String error, long next) {
        if (!store.record(d.id(), d.attempts(), to, status, error, next, clock.millis())) {
            // its lease ended and another node claimed it meanwhile, or the endpoint was deleted
            log.info("webhook delivery {}: attempt {} ended after the delivery moved on", d.id(), d.attempts());
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
