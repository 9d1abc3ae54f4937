package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DuplicateKeyException;

/**
 * {@link Database#update} and {@link Database#updateReturningLong} on SQLite reuse prepared statements
 * per connection: the same SQL runs many times with fresh parameters (nulls included), a failing
 * statement is translated like JdbcClient's and prepared afresh, and a rolled-back transaction
 * leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseStatementsTest {

    private TestDatabases.TestDatabase testDatabase;
    private Database db;

    @BeforeAll
    void open() {
        testDatabase = TestDatabases.sqlite();
        db = testDatabase.database();
        db.jdbc().sql("create table t (id text primary key, n integer, note text)").update();
    }

    @AfterAll
    void close() {
        testDatabase.close();
    }

    @Test
    void should_run_one_statement_many_times_with_fresh_parameters() {
        db.inTransaction(() -> {
            for (int i = 0; i < 50; i++) {
                assertThat(db.update("insert into t (id, n, note) values (?, ?, ?)", "a" + i, i, i % 2 == 0 ? null : "odd"))
                        .isEqualTo(1);
            }
        });
        assertThat(db.jdbc().sql("select count(*) from t where id like 'a%'").query(Long.class).single()).isEqualTo(50);
        assertThat(db.jdbc().sql("select count(*) from t where id like 'a%' and note is null").query(Long.class).single())
                .isEqualTo(25);
        assertThat(db.jdbc().sql("select sum(n) from t where id like 'a%'").query(Long.class).single()).isEqualTo(1225);
    }

    @Test
    void should_translate_a_failure_and_prepare_the_statement_again() {
        db.update("insert into t (id, n) values (?, ?)", "dup", 1);
        assertThatThrownBy(() -> db.update("insert into t (id, n) values (?, ?)", "dup", 2))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(db.update("insert into t (id, n) values (?, ?)", "dup2", 3)).isEqualTo(1);
    }

    @Test
    void should_return_the_changed_rows_value_or_empty() {
        db.update("insert into t (id, n) values (?, ?)", "r", 10);
        assertThat(db.updateReturningLong("update t set n = n - ? where id = ? and n >= ? returning n", 4, "r", 4)).contains(6L);
        assertThat(db.updateReturningLong("update t set n = n - ? where id = ? and n >= ? returning n", 7, "r", 7)).isEmpty();
        assertThat(db.updateReturningLong("update t set n = n - ? where id = ? and n >= ? returning n", 6, "r", 6)).contains(0L);
    }

    @Test
    void should_leave_nothing_of_a_rolled_back_transaction() {
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.update("insert into t (id, n) values (?, ?)", "rolled", 1);
            throw new IllegalStateException("fails after the insert");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(db.jdbc().sql("select count(*) from t where id = 'rolled'").query(Long.class).single()).isZero();
        assertThat(db.update("insert into t (id, n) values (?, ?)", "rolled", 2)).isEqualTo(1);
    }
}
