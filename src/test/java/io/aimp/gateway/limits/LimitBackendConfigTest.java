package io.aimp.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Which backend a node gets, and the start-up line that says limits are per node. */
@ExtendWith(OutputCaptureExtension.class)
class LimitBackendConfigTest {

    private static final String PER_NODE = "limited per node";

    private static LimitsProperties.Config none() {
        return new LimitsProperties.Config(null, null, null, null, null, null, null);
    }

    private static LimitsProperties limits() {
        return new LimitsProperties(none(), none(), null, null);
    }

    private static LimitsRedisProperties redis(String url) {
        return new LimitsRedisProperties(url, Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofHours(1));
    }

    private static Database db(Dialect dialect) {
        return new Database(new SimpleDriverDataSource(), dialect); // never connected here
    }

    @Test
    void should_say_once_that_limits_are_per_node_on_postgresql_without_redis(CapturedOutput output) {
        LimitBackend backend = new LimitBackendConfig().limitBackend(redis(null), limits(), db(Dialect.POSTGRESQL));

        assertThat(backend).isInstanceOf(InMemoryLimitBackend.class);
        assertThat(output.getAll()).containsOnlyOnce(PER_NODE).contains("AIMP_REDIS_URL");
    }

    @Test
    void should_keep_quiet_on_sqlite_a_single_node(CapturedOutput output) {
        LimitBackend backend = new LimitBackendConfig().limitBackend(redis(null), limits(), db(Dialect.SQLITE));

        assertThat(backend).isInstanceOf(InMemoryLimitBackend.class);
        assertThat(output.getAll()).doesNotContain(PER_NODE);
    }

    @Test
    void should_count_in_redis_when_a_url_is_set(CapturedOutput output) {
        LimitBackend backend = new LimitBackendConfig().limitBackend(redis("redis://127.0.0.1:6379"), limits(),
                db(Dialect.POSTGRESQL));
        try {
            assertThat(backend).isInstanceOf(RedisLimitBackend.class);
            assertThat(output.getAll()).doesNotContain(PER_NODE).contains("cluster-wide in Redis");
        } finally {
            ((RedisLimitBackend) backend).close();
        }
    }
}
