package io.aimp.gateway.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link ReleaseResultStore} keeps, on SQLite and on PostgreSQL. */
abstract class ReleaseResultStoreContract {

    TestDatabases.TestDatabase db;
    ReleaseResultStore store;

    abstract Dialect dialect();

    @BeforeEach
    void open() {
        db = TestDatabases.open(dialect());
        db.database().jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_1', 'one', 0), ('ws_2', 'two', 0)")
                .update();
        store = new JdbcReleaseResultStore(db.database());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private static ReleaseResultStore.ReleaseResult result(String workspace, String model, String release, int cases,
                                                           int passed, long cost, long at) {
        return new ReleaseResultStore.ReleaseResult(workspace, model, release, cases, passed, cases - passed, cost,
                "usr_1", at);
    }

    @Test
    void should_keep_every_field_of_a_result() {
        store.save(result("ws_1", "mdl_a", "1.0.0", 10, 7, 1_234_567L, 1_700_000_000_123L));

        assertThat(store.last("ws_1", "mdl_a")).containsExactly(
                new ReleaseResultStore.ReleaseResult("ws_1", "mdl_a", "1.0.0", 10, 7, 3, 1_234_567L, "usr_1",
                        1_700_000_000_123L));
    }

    @Test
    void should_replace_the_last_result_of_a_release_and_keep_the_other_releases() {
        store.save(result("ws_1", "mdl_a", "1.0.0", 2, 1, 10, 100));
        store.save(result("ws_1", "mdl_a", "2.0.0", 3, 3, 20, 200));

        store.save(result("ws_1", "mdl_a", "1.0.0", 2, 2, 30, 300));

        assertThat(store.last("ws_1", "mdl_a")).containsExactlyInAnyOrder(
                result("ws_1", "mdl_a", "1.0.0", 2, 2, 30, 300),
                result("ws_1", "mdl_a", "2.0.0", 3, 3, 20, 200));
    }

    @Test
    void should_answer_only_the_workspace_and_model_asked_for() {
        store.save(result("ws_1", "mdl_a", "1.0.0", 2, 1, 10, 100));
        store.save(result("ws_2", "mdl_a", "1.0.0", 4, 4, 40, 400));
        store.save(result("ws_1", "mdl_b", "1.0.0", 5, 0, 50, 500));

        assertThat(store.last("ws_1", "mdl_a")).containsExactly(result("ws_1", "mdl_a", "1.0.0", 2, 1, 10, 100));
        assertThat(store.last("ws_2", "mdl_a")).containsExactly(result("ws_2", "mdl_a", "1.0.0", 4, 4, 40, 400));
        assertThat(store.last("ws_2", "mdl_b")).isEmpty();
    }
}
