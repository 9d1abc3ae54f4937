package io.aimp.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        return RunRecord.builder().id(id).workspaceId("ws_1").modelId("mdl_1").modelSlug("m").releaseVersion("1.0.0")
                .mode("execute").kind("text").status(RunStatus.QUEUED).input(JsonNodeFactory.instance.objectNode())
                .params(JsonNodeFactory.instance.objectNode()).options(JsonNodeFactory.instance.objectNode())
                .principalType("api_key").userId("usr_1").keyId("key_1").keyPrefix("aimp_k").requestId("req_1")
                .entryPoint("rest").createdAt(createdAt).build();
    }

    @Test
    void should_count_the_queued_runs_for_the_queue_depth_metric() {
        assertThat(store.countQueued()).isZero();
        store.insert(queued("run_a", 1));
        store.insert(queued("run_b", 2));
        assertThat(store.countQueued()).isEqualTo(2);
        store.claimQueued(10, 1_000).orElseThrow();
        assertThat(store.countQueued()).isEqualTo(1);
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
        assertThat(store.cancel("ws_1", "run_a", 20)).contains(RunStatus.RUNNING);

        assertThat(store.defer("run_a", 100)).isFalse();
        assertThat(store.findById("run_a").orElseThrow().status()).isEqualTo(RunStatus.CANCELED);
    }

    @Test
    void should_tell_which_state_a_canceled_run_left() {
        store.insert(queued("run_a", 1));
        store.insert(queued("run_b", 2));
        store.claimQueued(10, 1_000); // run_a starts

        assertThat(store.cancel("ws_1", "run_b", 20)).contains(RunStatus.QUEUED);
        assertThat(store.cancel("ws_1", "run_a", 21)).contains(RunStatus.RUNNING);
        assertThat(store.cancel("ws_1", "run_b", 22)).isEmpty();
        assertThat(store.cancel("ws_other", "run_a", 22)).isEmpty();
        assertThat(store.cancel("ws_1", "run_none", 22)).isEmpty();
        RunRecord canceled = store.findById("run_b").orElseThrow();
        assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
        assertThat(canceled.completedAt()).isEqualTo(20L);
        assertThat(store.claimQueued(30, 1_000)).isEmpty();
    }

    @Test
    void should_refuse_every_move_out_of_a_terminal_state() {
        store.insert(queued("run_a", 1));
        RunRecord running = store.claimQueued(10, 1_000).orElseThrow();
        assertThat(store.finish(running.toBuilder().status(RunStatus.SUCCEEDED).completedAt(20L).build())).isTrue();

        assertThat(store.start("run_a", 30, 1_000)).isFalse();
        assertThat(store.defer("run_a", 30)).isFalse();
        assertThat(store.cancel("ws_1", "run_a", 30)).isEmpty();
        assertThat(store.finish(running.toBuilder().status(RunStatus.FAILED).completedAt(30L).build())).isFalse();
        assertThat(store.failAbandoned(Long.MAX_VALUE, 30, "{}")).isEmpty();
        RunRecord after = store.findById("run_a").orElseThrow();
        assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(after.completedAt()).isEqualTo(20L);
    }

    @Test
    void should_refuse_a_move_the_state_table_does_not_allow_before_touching_the_database() {
        store.insert(queued("run_a", 1));
        store.claimQueued(10, 1_000);

        assertThatThrownBy(() -> store.finish(queued("run_a", 1).toBuilder().status(RunStatus.QUEUED).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcRunStore.move(RunStatus.SUCCEEDED, RunStatus.RUNNING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SUCCEEDED to RUNNING");
        assertThatThrownBy(() -> JdbcRunStore.move(RunStatus.QUEUED, RunStatus.SUCCEEDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findById("run_a").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }
}
