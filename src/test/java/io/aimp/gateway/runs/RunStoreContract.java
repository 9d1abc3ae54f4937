package io.aimp.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.storage.DataSources;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StorageProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The queue moves every {@link RunStore} keeps, on SQLite and on PostgreSQL. */
abstract class RunStoreContract {

    HikariDataSource ds;
    RunStore store;

    abstract StorageProperties storage() throws Exception;

    @BeforeEach
    void open() throws Exception {
        StorageProperties props = storage();
        ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        Database db = new Database(ds, props.dialect());
        db.jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_1', 'one', 0)").update();
        store = new JdbcRunStore(db, JsonMapper.builder().build());
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private static RunRecord queued(String id, long createdAt) {
        return new RunRecord(id, "ws_1", "mdl_1", "m", "1.0.0", "execute", "text", null, RunStatus.QUEUED,
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), null, null, 0, 0, 0, false, 0, null, null, "api_key", "usr_1",
                "key_1", "aimp_k", "req_1", "rest", null, null, createdAt, null, null);
    }

    @Test
    void should_put_a_deferred_run_back_in_the_queue_and_hand_it_out_only_from_its_not_before() {
        store.insert(queued("run_a", 1));
        store.insert(queued("run_b", 2));
        assertThat(store.claimQueued(10, 1_000).orElseThrow().id()).isEqualTo("run_a");

        assertThat(store.defer("run_a", 500)).isTrue();

        RunRecord back = store.findById("run_a").orElseThrow();
        assertThat(back.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(back.startedAt()).isNull();
        assertThat(back.leaseUntil()).isNull();
        // before its not_before only the other run is handed out; from then on the deferred one, oldest first
        assertThat(store.claimQueued(20, 1_000).orElseThrow().id()).isEqualTo("run_b");
        assertThat(store.claimQueued(499, 1_000)).isEmpty();
        RunRecord again = store.claimQueued(500, 1_500).orElseThrow();
        assertThat(again.id()).isEqualTo("run_a");
        assertThat(again.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(again.startedAt()).isEqualTo(500);
    }

    @Test
    void should_defer_only_a_running_run() {
        store.insert(queued("run_a", 1));
        assertThat(store.defer("run_a", 100)).isFalse();
        store.claimQueued(10, 1_000);
        assertThat(store.cancel("ws_1", "run_a", 20)).isTrue();

        assertThat(store.defer("run_a", 100)).isFalse();
        assertThat(store.findById("run_a").orElseThrow().status()).isEqualTo(RunStatus.CANCELED);
    }
}
