package io.aimp.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.limits.LimitsProperties.RedisUnavailable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Redis configured but unreachable: refused at once ({@code deny}) or counted locally ({@code allow-local}); then back. */
class RedisLimitBackendUnavailableTest {

    private static final Duration SHORT = Duration.ofMillis(250);

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static RedisLimitBackend backend(int port, RedisUnavailable mode) {
        return new RedisLimitBackend(new LimitsRedisProperties("redis://127.0.0.1:" + port, SHORT, SHORT, Duration.ofHours(1)),
                mode, new InMemoryLimitBackend());
    }

    @Test
    void should_refuse_with_a_clear_503_without_waiting_when_set_to_deny() throws IOException {
        try (RedisLimitBackend backend = backend(closedPort(), RedisUnavailable.DENY)) {
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> backend.take("workspace:ws_1|rpm", 10, 1))
                        .isInstanceOfSatisfying(GatewayException.class, e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.code()).isEqualTo("limits_unavailable");
                            assertThat(e.detail()).contains("aimp.limits.redis-unavailable").doesNotContain("127.0.0.1");
                            assertThat(e.retryAfterSeconds()).isEqualTo(1L);
                        });
                // bounded by the command timeout, never by a hanging connection (room for a loaded machine)
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            }
            assertThatThrownBy(() -> backend.acquireSlot("workspace:ws_1|concurrent", 1)).isInstanceOf(GatewayException.class);
            // give-backs and releases of a refused request never fail it again
            backend.giveBack("workspace:ws_1|rpm", 10, 1);
            backend.releaseSlot("workspace:ws_1|concurrent");
            assertThat(backend.reachable()).isFalse();
        }
    }

    @Test
    void should_count_in_memory_when_set_to_allow_local() throws IOException {
        try (RedisLimitBackend backend = backend(closedPort(), RedisUnavailable.ALLOW_LOCAL)) {
            assertThat(backend.take("workspace:ws_1|rpm", 2, 1).admitted()).isTrue();
            assertThat(backend.take("workspace:ws_1|rpm", 2, 1).admitted()).isTrue();
            assertThat(backend.take("workspace:ws_1|rpm", 2, 1).admitted()).isFalse();

            assertThat(backend.acquireSlot("workspace:ws_1|concurrent", 1)).isTrue();
            assertThat(backend.acquireSlot("workspace:ws_1|concurrent", 1)).isFalse();
            backend.releaseSlot("workspace:ws_1|concurrent");
            assertThat(backend.acquireSlot("workspace:ws_1|concurrent", 1)).isTrue();
        }
    }

    @Test
    void should_refuse_while_redis_is_gone_and_admit_again_by_itself_when_it_is_back() throws IOException {
        Optional<String> url = LimitBackendTest.redisUrl();
        Assumptions.assumeTrue(url.isPresent(), LimitBackendTest.REDIS_URL_ENV + " is not set");
        URI redis = URI.create(url.get());
        try (TcpForwarder relay = new TcpForwarder(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort())) {
            relay.start();
            String window = "workspace:ws_" + UUID.randomUUID() + "|rpm";
            try (RedisLimitBackend backend = backend(relay.port(), RedisUnavailable.DENY)) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> backend.take(window, 100, 1).admitted());

                relay.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> refused(backend, window));

                relay.start();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> backend.take(window, 100, 1).admitted());
                assertThat(backend.reachable()).isTrue();
                // the window survived the outage in Redis: 2 taken before and after, 98 left
                assertThat(backend.take(window, 100, 98).admitted()).isTrue();
                assertThat(backend.take(window, 100, 1).admitted()).isFalse();
            }
        }
    }

    @Test
    void should_give_a_slot_taken_in_memory_during_an_outage_back_there_after_redis_is_back() throws IOException {
        Optional<String> url = LimitBackendTest.redisUrl();
        Assumptions.assumeTrue(url.isPresent(), LimitBackendTest.REDIS_URL_ENV + " is not set");
        URI redis = URI.create(url.get());
        String slots = "workspace:ws_" + UUID.randomUUID() + "|concurrent";
        try (TcpForwarder relay = new TcpForwarder(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
             RedisLimitBackend otherNode = new RedisLimitBackend(LimitBackendTest.redis(url.get()), RedisUnavailable.DENY,
                     new InMemoryLimitBackend())) {
            relay.start();
            try (RedisLimitBackend backend = backend(relay.port(), RedisUnavailable.ALLOW_LOCAL)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> probe(backend, slots));
                assertThat(backend.acquireSlot(slots, 2)).isTrue(); // in Redis: 1 of 2

                relay.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !probe(backend, slots));
                assertThat(backend.acquireSlot(slots, 1)).isTrue(); // in memory during the outage

                relay.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> probe(backend, slots));
                backend.releaseSlot(slots); // the in-memory one: Redis still counts 1 of 2
                assertThat(otherNode.acquireSlot(slots, 2)).isTrue();
                assertThat(otherNode.acquireSlot(slots, 2)).isFalse();
                backend.releaseSlot(slots); // now the one taken in Redis
                assertThat(otherNode.acquireSlot(slots, 2)).isTrue();
            }
        }
    }

    /** Whether a take reached Redis (in allow-local mode a take always answers). */
    private static boolean probe(RedisLimitBackend backend, String slots) {
        backend.take(slots + "-probe", 1_000_000_000L, 1);
        return backend.reachable();
    }

    private static boolean refused(RedisLimitBackend backend, String window) {
        try {
            backend.take(window, 100, 0);
            return false;
        } catch (GatewayException e) {
            return e.code().equals("limits_unavailable");
        }
    }
}
