package io.aimp.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.storage.DataSources;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StorageProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link IdempotencyStore} keeps, on SQLite and on PostgreSQL. */
abstract class IdempotencyStoreContract {

    HikariDataSource ds;
    IdempotencyStore store;

    abstract StorageProperties storage() throws Exception;

    @BeforeEach
    void open() throws Exception {
        StorageProperties props = storage();
        ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        store = new JdbcIdempotencyStore(new Database(ds, props.dialect()));
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void should_let_only_the_first_claim_win_per_workspace() {
        assertThat(store.claim("ws_1", "key_a", "k", "h1", "proc_a", 100, 1)).isTrue();
        assertThat(store.claim("ws_1", "key_a", "k", "h2", "proc_b", 100, 2)).isFalse();
        assertThat(store.claim("ws_2", "key_a", "k", "h1", "proc_b", 100, 2)).isTrue();

        assertThat(store.find("ws_1", "key_a", "k").orElseThrow().bodyHash()).isEqualTo("h1");
    }

    @Test
    void should_keep_the_keys_of_different_callers_of_one_workspace_apart() {
        assertThat(store.claim("ws_1", "key_a", "k", "h1", "proc_a", 100, 1)).isTrue();
        assertThat(store.complete("ws_1", "key_a", "k", "proc_a", 200, "{\"id\":\"run_a\"}", "run_a")).isTrue();

        assertThat(store.find("ws_1", "usr_b", "k")).isEmpty();
        assertThat(store.claim("ws_1", "usr_b", "k", "h1", "proc_a", 100, 2)).isTrue();
        assertThat(store.find("ws_1", "usr_b", "k").orElseThrow().state()).isEqualTo(IdempotencyStore.State.IN_FLIGHT);
        assertThat(store.find("ws_1", "key_a", "k").orElseThrow().runId()).isEqualTo("run_a");
        assertThat(store.release("ws_1", "usr_b", "k", "proc_a")).isTrue();
        assertThat(store.find("ws_1", "key_a", "k")).isPresent();
    }

    @Test
    void should_complete_only_for_the_owner_and_keep_the_response() {
        store.claim("ws_1", "key_a", "k", "h", "proc_a", 100, 1);

        assertThat(store.complete("ws_1", "key_a", "k", "proc_b", 200, "{}", "run_1")).isFalse();
        assertThat(store.complete("ws_1", "key_a", "k", "proc_a", 200, "{\"id\":\"run_1\"}", "run_1")).isTrue();

        IdempotencyStore.Entry e = store.find("ws_1", "key_a", "k").orElseThrow();
        assertThat(e.state()).isEqualTo(IdempotencyStore.State.DONE);
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.response()).isEqualTo("{\"id\":\"run_1\"}");
        assertThat(e.runId()).isEqualTo("run_1");
        assertThat(store.release("ws_1", "key_a", "k", "proc_a")).isFalse();
    }

    @Test
    void should_delete_claims_of_dead_processes_but_never_finished_keys_before_retention() {
        store.claim("ws_1", "key_a", "mine", "h", "proc_me", 100, 1);
        store.claim("ws_1", "key_a", "dead", "h", "proc_dead", 100, 1);
        store.claim("ws_1", "key_a", "alive", "h", "proc_other", 10_000, 1);
        store.claim("ws_1", "key_a", "done", "h", "proc_dead", 100, 1);
        store.complete("ws_1", "key_a", "done", "proc_dead", 200, "{}", "run_1");

        assertThat(store.deleteStaleClaims("proc_me", 5_000)).isEqualTo(1);
        assertThat(store.find("ws_1", "key_a", "dead")).isEmpty();
        assertThat(store.find("ws_1", "key_a", "mine")).isPresent();
        assertThat(store.find("ws_1", "key_a", "alive")).isPresent();
        assertThat(store.deleteExpired("ws_1", "key_a", "alive", 20_000)).isTrue();

        assertThat(store.deleteOlderThan(1)).isZero();
        assertThat(store.deleteOlderThan(2)).isEqualTo(1);
        assertThat(store.find("ws_1", "key_a", "done")).isEmpty();
    }
}
