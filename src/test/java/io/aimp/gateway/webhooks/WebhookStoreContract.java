package io.aimp.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link WebhookStore} keeps, on SQLite and on PostgreSQL. */
abstract class WebhookStoreContract {

    TestDatabases.TestDatabase db;
    WebhookStore store;

    abstract Dialect dialect();

    @BeforeEach
    void open() {
        db = TestDatabases.open(dialect());
        db.database().jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_1', 'one', 0), ('ws_2', 'two', 0)")
                .update();
        store = new JdbcWebhookStore(db.database());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static WebhookEndpoint endpoint(String id, String workspace, String... events) {
        return new WebhookEndpoint(id, workspace, "https://hooks.example/" + id, List.of(events), "whsec_c2VjcmV0",
                null, "usr_1", 1);
    }

    static WebhookDelivery pending(String id, String endpoint, long due) {
        return new WebhookDelivery(id, "ws_1", endpoint, "evt_" + id, "run.completed", "{\"id\":\"evt_" + id + "\"}",
                DeliveryStatus.PENDING, 0, due, null, null, null, due, due, null);
    }

    @Test
    void should_find_the_endpoints_subscribed_to_an_event_type_within_the_workspace_only() {
        assertThat(store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed", "job.completed"), 10)).isTrue();
        assertThat(store.insertEndpoint(endpoint("whe_b", "ws_1", "job.completed"), 10)).isTrue();
        assertThat(store.insertEndpoint(endpoint("whe_c", "ws_2", "run.completed"), 10)).isTrue();

        assertThat(store.subscribed("ws_1", "run.completed")).extracting(WebhookEndpoint::id).containsExactly("whe_a");
        assertThat(store.subscribed("ws_1", "job.completed")).extracting(WebhookEndpoint::id).containsExactly("whe_a", "whe_b");
        assertThat(store.subscribed("ws_1", "run.complete")).isEmpty();
        assertThat(store.findEndpoint("ws_2", "whe_a")).isEmpty();
        assertThat(store.findEndpoint("ws_1", "whe_a").orElseThrow().events()).containsExactly("run.completed", "job.completed");
        assertThat(store.endpoints("ws_1")).extracting(WebhookEndpoint::id).containsExactly("whe_a", "whe_b");
    }

    @Test
    void should_refuse_an_endpoint_past_the_workspace_cap() {
        assertThat(store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 2)).isTrue();
        assertThat(store.insertEndpoint(endpoint("whe_b", "ws_1", "run.completed"), 2)).isTrue();
        assertThat(store.insertEndpoint(endpoint("whe_c", "ws_1", "run.completed"), 2)).isFalse();
        assertThat(store.insertEndpoint(endpoint("whe_d", "ws_2", "run.completed"), 2)).isTrue();
        assertThat(store.endpoints("ws_1")).hasSize(2);
    }

    @Test
    void should_create_exactly_the_cap_of_endpoints_when_many_threads_create_at_once() throws Exception {
        // given workspaces with one endpoint each and a cap of 3; several rounds, so a race that slips past the cap
        // once in a while is caught
        int rounds = 10;
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (int round = 0; round < rounds; round++) {
                String ws = "ws_race_" + round;
                db.database().jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)").params(ws, ws).update();
                assertThat(store.insertEndpoint(endpoint("whe_" + ws, ws, "run.completed"), 3)).isTrue();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                // when 12 threads create one each at the same moment
                for (int t = 0; t < 12; t++) {
                    String id = "whe_" + ws + "_" + t;
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.insertEndpoint(endpoint(id, ws, "run.completed"), 3);
                    }));
                }
                go.countDown();
                int created = 0;
                for (Future<Boolean> f : results) {
                    created += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                // then exactly two more were created, and the refused ones wrote nothing
                assertThat(created).as("round " + round).isEqualTo(2);
                assertThat(store.endpoints(ws)).as("round " + round).hasSize(3);
            }
        }
    }

    @Test
    void should_claim_due_deliveries_once_and_again_only_after_their_lease_ended() {
        store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 10);
        store.insertDelivery(pending("whd_1", "whe_a", 100));
        store.insertDelivery(pending("whd_2", "whe_a", 500));

        List<WebhookStore.Claimed> first = store.claim(10, 100, 1_000);
        assertThat(first).extracting(c -> c.delivery().id()).containsExactly("whd_1");
        WebhookStore.Claimed c = first.getFirst();
        assertThat(c.url()).isEqualTo("https://hooks.example/whe_a");
        assertThat(c.secret()).isEqualTo("whsec_c2VjcmV0");
        assertThat(c.delivery().attempts()).isEqualTo(1);
        assertThat(c.delivery().status()).isEqualTo(DeliveryStatus.DELIVERING);
        // held while its lease lasts; not due yet: the other one
        assertThat(store.claim(10, 400, 1_400)).isEmpty();
        // its node died: once the lease ended it is claimed again, as a new attempt
        List<WebhookStore.Claimed> again = store.claim(10, 1_001, 2_000);
        assertThat(again).extracting(x -> x.delivery().id()).containsExactly("whd_1", "whd_2");
        assertThat(again.getFirst().delivery().attempts()).isEqualTo(2);
        // the first attempt's late outcome is not recorded over the second's
        assertThat(store.record("whd_1", 1, DeliveryStatus.SUCCEEDED, 200, null, 0, 1_100)).isFalse();
        assertThat(store.record("whd_1", 2, DeliveryStatus.SUCCEEDED, 204, null, 0, 1_100)).isTrue();
        WebhookDelivery done = store.findDelivery("whd_1").orElseThrow();
        assertThat(done.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(done.responseStatus()).isEqualTo(204);
        assertThat(done.completedAt()).isEqualTo(1_100L);
        assertThat(done.leaseUntil()).isNull();
    }

    @Test
    void should_schedule_a_retry_and_claim_it_only_when_due() {
        store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 10);
        store.insertDelivery(pending("whd_1", "whe_a", 0));
        store.claim(1, 10, 1_000);
        assertThat(store.record("whd_1", 1, DeliveryStatus.PENDING, 500, "the endpoint answered 500", 5_000, 20)).isTrue();
        WebhookDelivery waiting = store.findDelivery("whd_1").orElseThrow();
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(waiting.lastError()).isEqualTo("the endpoint answered 500");
        assertThat(waiting.responseStatus()).isEqualTo(500);
        assertThat(waiting.completedAt()).isNull();
        assertThat(store.countPending()).isEqualTo(1);

        assertThat(store.claim(1, 4_999, 6_000)).isEmpty();
        assertThat(store.claim(1, 5_000, 6_000)).extracting(c -> c.delivery().attempts()).containsExactly(2);
        assertThat(store.record("whd_1", 2, DeliveryStatus.FAILED, null, "no answer", 0, 5_100)).isTrue();
        assertThat(store.findDelivery("whd_1").orElseThrow().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(store.countPending()).isZero();
        assertThat(store.claim(1, 100_000, 200_000)).isEmpty();
    }

    @Test
    void should_make_deliveries_in_flight_due_again_on_release() {
        store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 10);
        store.insertDelivery(pending("whd_1", "whe_a", 0));
        store.insertDelivery(pending("whd_2", "whe_a", 50_000));
        store.claim(1, 10, 100_000);

        assertThat(store.releaseAll(20)).isEqualTo(1);

        WebhookDelivery released = store.findDelivery("whd_1").orElseThrow();
        assertThat(released.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(released.attempts()).isEqualTo(1);
        assertThat(released.leaseUntil()).isNull();
        assertThat(store.claim(10, 20, 1_000)).extracting(c -> c.delivery().attempts()).containsExactly(2);
    }

    @Test
    void should_delete_an_endpoint_with_its_deliveries_and_list_deliveries_newest_first() {
        store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 10);
        store.insertEndpoint(endpoint("whe_b", "ws_1", "run.completed"), 10);
        store.insertDelivery(pending("whd_1", "whe_a", 1));
        store.insertDelivery(pending("whd_2", "whe_a", 2));
        store.insertDelivery(pending("whd_3", "whe_b", 3));
        assertThat(store.deliveries("ws_1", "whe_a", 10, 0)).extracting(WebhookDelivery::id).containsExactly("whd_2", "whd_1");
        assertThat(store.deliveries("ws_2", "whe_a", 10, 0)).isEmpty();

        assertThat(store.deleteEndpoint("ws_2", "whe_a")).isFalse();
        assertThat(store.deleteEndpoint("ws_1", "whe_a")).isTrue();
        assertThat(store.findDelivery("whd_1")).isEmpty();
        assertThat(store.claim(10, 10, 100)).extracting(c -> c.delivery().id()).containsExactly("whd_3");
    }

    @Test
    void should_never_hand_one_delivery_to_two_concurrent_claims() throws Exception {
        store.insertEndpoint(endpoint("whe_a", "ws_1", "run.completed"), 10);
        for (int i = 0; i < 40; i++) {
            store.insertDelivery(pending("whd_" + i, "whe_a", 0));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> claims = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        for (WebhookStore.Claimed c : store.claim(3, 10, 1_000_000)) {
                            if (!seen.add(c.delivery().id())) {
                                synchronized (duplicates) {
                                    duplicates.add(c.delivery().id());
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : claims) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(40);
    }
}
