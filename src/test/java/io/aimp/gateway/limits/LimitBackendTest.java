package io.aimp.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The {@link LimitBackend} contract in memory and in Redis (when {@code AIMP_TEST_REDIS_URL} is set). */
class LimitBackendTest {

    static final String REDIS_URL_ENV = "AIMP_TEST_REDIS_URL";

    static Optional<String> redisUrl() {
        String url = System.getenv(REDIS_URL_ENV);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    static LimitsRedisProperties redis(String url) {
        return new LimitsRedisProperties(url, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofHours(1));
    }

    @Nested
    class InMemory extends LimitBackendContract {
        private final LimitBackend backend = new InMemoryLimitBackend();

        @Override
        protected LimitBackend backend() {
            return backend;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class InRedis extends LimitBackendContract {
        private RedisLimitBackend backend;
        private RedisLimitBackend otherNode;

        @BeforeAll
        void connect() {
            Optional<String> url = redisUrl();
            Assumptions.assumeTrue(url.isPresent(), REDIS_URL_ENV + " is not set");
            // deny: a contract test that cannot reach Redis fails instead of passing on local counters
            backend = new RedisLimitBackend(redis(url.get()), LimitsProperties.RedisUnavailable.DENY, new InMemoryLimitBackend());
            otherNode = new RedisLimitBackend(redis(url.get()), LimitsProperties.RedisUnavailable.DENY, new InMemoryLimitBackend());
        }

        @AfterAll
        void close() {
            if (backend != null) {
                backend.close();
                otherNode.close();
            }
        }

        @Override
        protected LimitBackend backend() {
            return backend;
        }

        @Test
        void should_load_its_scripts_as_soon_as_it_connects() {
            RedisClient admin = RedisClient.create(redisUrl().orElseThrow());
            try (StatefulRedisConnection<String, String> c = admin.connect()) {
                c.sync().scriptFlush(); // the other tests' calls send their scripts again by themselves
                String[] shas = RedisLimitBackend.SCRIPTS.stream().map(RedisLimitBackend.Script::sha).toArray(String[]::new);
                try (RedisLimitBackend fresh = new RedisLimitBackend(redis(redisUrl().orElseThrow()),
                        LimitsProperties.RedisUnavailable.DENY, new InMemoryLimitBackend())) {
                    // no check has been made: the node loaded them when its connection came up
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() -> assertThat(c.sync().scriptExists(shas)).containsOnly(true));
                }
            } finally {
                admin.shutdown();
            }
        }

        @Test
        void should_share_windows_and_slots_between_nodes() {
            String scope = "key:ws_1:" + UUID.randomUUID();
            assertThat(backend.take(scope + "|rpm", 3, 2).admitted()).isTrue();
            assertThat(otherNode.take(scope + "|rpm", 3, 1).admitted()).isTrue();
            assertThat(backend.take(scope + "|rpm", 3, 1).admitted()).isFalse();
            assertThat(otherNode.take(scope + "|rpm", 3, 1).admitted()).isFalse();

            assertThat(backend.acquireSlot(scope + "|concurrent", 1)).isTrue();
            assertThat(otherNode.acquireSlot(scope + "|concurrent", 1)).isFalse();
            backend.releaseSlot(scope + "|concurrent");
            assertThat(otherNode.acquireSlot(scope + "|concurrent", 1)).isTrue();
        }
    }
}
