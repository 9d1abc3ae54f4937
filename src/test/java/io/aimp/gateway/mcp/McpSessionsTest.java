package io.aimp.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.StoreContract;
import io.aimp.gateway.support.TestClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' {@link McpSessions} over one database (SQLite, and PostgreSQL when
 * {@code AIMP_TEST_POSTGRES_URL} is set): a session opened on one is served, touched and ended on the other.
 */
class McpSessionsTest {

    abstract static class Contract extends StoreContract {
        private final TestClock clock = new TestClock();
        private McpSessions nodeA;
        private McpSessions nodeB;

        @Override
        protected void createStores(Database database) {
            nodeA = new McpSessions(new JdbcMcpSessionStore(database), clock);
            nodeB = new McpSessions(new JdbcMcpSessionStore(database), clock);
        }

        private static Principal key(String workspaceId, String keyId) {
            return new Principal(Principal.Type.API_KEY, workspaceId, "usr_1", keyId, "aimp_x", Role.DEVELOPER, null);
        }

        private long rows() {
            return database().jdbc().sql("select count(*) from mcp_sessions").query(Long.class).single();
        }

        @Test
        void should_serve_a_session_opened_on_one_node_on_the_other() {
            Principal caller = key("ws_" + UUID.randomUUID(), "key_1");
            McpSessions.Session opened = nodeA.open(caller, "2025-06-18");

            assertThat(nodeB.find(opened.id(), caller)).hasValueSatisfying(s -> {
                assertThat(s.id()).isEqualTo(opened.id());
                assertThat(s.protocolVersion()).isEqualTo("2025-06-18");
            });
            // only the hash is stored
            assertThat(database().jdbc().sql("select count(*) from mcp_sessions where id_hash = ?").param(opened.id())
                    .query(Long.class).single()).isZero();
        }

        @Test
        void should_not_find_another_keys_session_on_any_node() {
            String ws = "ws_" + UUID.randomUUID();
            McpSessions.Session opened = nodeA.open(key(ws, "key_1"), "2025-06-18");

            assertThat(nodeB.find(opened.id(), key(ws, "key_2"))).isEmpty();
            assertThat(nodeA.find(opened.id(), key("ws_other", "key_1"))).isEmpty();
            assertThat(nodeB.find("mcps_unknown", key(ws, "key_1"))).isEmpty();
            assertThat(nodeB.find("x".repeat(10_000), key(ws, "key_1"))).isEmpty();
        }

        @Test
        void should_end_a_session_on_every_node_when_one_closes_it() {
            Principal caller = key("ws_" + UUID.randomUUID(), "key_1");
            McpSessions.Session opened = nodeA.open(caller, "2025-06-18");

            nodeB.close(nodeB.find(opened.id(), caller).orElseThrow());

            assertThat(nodeA.find(opened.id(), caller)).isEmpty();
            assertThat(nodeB.find(opened.id(), caller)).isEmpty();
        }

        @Test
        void should_keep_a_session_in_use_on_either_node_and_end_it_after_an_idle_hour() {
            Principal caller = key("ws_" + UUID.randomUUID(), "key_1");
            McpSessions.Session used = nodeA.open(caller, "2025-06-18");
            McpSessions.Session idle = nodeA.open(caller, "2025-06-18");

            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(40));
                assertThat((i % 2 == 0 ? nodeB : nodeA).find(used.id(), caller)).isPresent();
            }

            assertThat(nodeB.find(idle.id(), caller)).isEmpty();
            assertThat(nodeA.find(used.id(), caller)).isPresent();
        }

        @Test
        void should_delete_idle_sessions_when_new_ones_open() {
            Principal caller = key("ws_" + UUID.randomUUID(), "key_1");
            nodeA.open(caller, "2025-06-18");
            nodeB.open(caller, "2025-06-18");
            clock.advance(McpSessions.IDLE.plusMinutes(5));

            McpSessions.Session fresh = nodeA.open(caller, "2025-06-18");

            assertThat(rows()).isEqualTo(1);
            assertThat(nodeB.find(fresh.id(), caller)).isPresent();
        }
    }

    @Nested
    class OnSqlite extends Contract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends Contract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
