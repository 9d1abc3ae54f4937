package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * SQLite's fair write lock: a write outside the group commit gets its turn while the writer commits
 * batch after batch; writers are let in in the order they asked; transactions and auto-commit writes
 * take it and give it back, reads never wait for it; a write that gets no turn fails as SQLite's busy
 * timeout would; a group commit from a thread that holds it is refused; PostgreSQL is left alone.
 */
class SqliteWriteLockTest {

    @TempDir
    Path dir;
    private HikariDataSource pool;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        pool = DataSources.create(new StorageProperties(dir, null, null, null, 4, "NORMAL"));
        DataSources.migrate(pool, Dialect.SQLITE);
        new Database(pool, Dialect.SQLITE).jdbc().sql("create table t (id text primary key)").update();
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        pool.close();
    }

    private static long count(Database db, String where) {
        return db.jdbc().sql("select count(*) from t where " + where).query(Long.class).single();
    }

    @Test
    void should_commit_an_outside_write_while_the_group_commit_writer_commits_batch_after_batch() throws Exception {
        Database db = new Database(pool, Dialect.SQLITE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        AtomicReference<RuntimeException> feederFailure = new AtomicReference<>();
        try (GroupCommit commits = new GroupCommit(db, 64)) {
            // given: callers that keep the writer thread committing one batch after another
            List<Future<?>> feeders = new ArrayList<>();
            for (int f = 0; f < 8; f++) {
                int feeder = f;
                feeders.add(threads.submit(() -> {
                    for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
                        String id = "f" + feeder + "-" + i;
                        try {
                            commits.commit(() -> db.update("insert into t (id) values (?)", id));
                            committed.incrementAndGet();
                        } catch (RuntimeException e) {
                            feederFailure.compareAndSet(null, e);
                            return;
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= 500);

            // when: writes outside the group commit, a transaction and an auto-commit statement, several of each
            List<CompletableFuture<Void>> outside = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String tx = "outside-tx-" + i;
                String auto = "outside-auto-" + i;
                outside.add(CompletableFuture.runAsync(
                        () -> db.inTransaction(() -> db.update("insert into t (id) values (?)", tx)), threads));
                outside.add(CompletableFuture.runAsync(
                        () -> db.jdbc().sql("insert into t (id) values (?)").param(auto).update(), threads));
            }

            // then: they commit while the batches go on (a failed one fails the wait at once)
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                outside.stream().filter(CompletableFuture::isCompletedExceptionally).forEach(CompletableFuture::join);
                return count(db, "id like 'outside-%'") == 8;
            });
            long before = committed.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() > before);
            stop.set(true);
            for (Future<?> f : feeders) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(feederFailure.get()).isNull();
        assertThat(count(db, "id like 'f%'")).isEqualTo(committed.get());
    }

    @Test
    void should_let_waiting_writers_in_in_the_order_they_asked() throws Exception {
        SqliteWriteLock lock = new SqliteWriteLock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        lock.acquire();
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "w" + i;
            waiters.add(threads.submit(() -> {
                lock.acquire();
                order.add(name);
                lock.release();
                return null;
            }));
            int queued = i + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> lock.queueLength() == queued);
        }
        lock.release();
        for (Future<?> w : waiters) {
            w.get(30, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly("w0", "w1", "w2");
    }

    @Test
    void should_give_the_holder_the_lock_again_and_free_it_at_its_last_release() throws Exception {
        SqliteWriteLock lock = new SqliteWriteLock(Duration.ofMillis(50));
        lock.acquire();
        lock.acquire();
        lock.release();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThatThrownBy(() -> threads.submit(() -> {
            lock.acquire();
            return null;
        }).get(30, TimeUnit.SECONDS)).hasRootCauseMessage("[SQLITE_BUSY] the database is locked: no turn to write"
                + " within 50 ms (the writes before this one held it that long)");
        lock.release();
        assertThat(lock.isHeldByCurrentThread()).isFalse();
        threads.submit(() -> {
            lock.acquire();
            lock.release();
            return null;
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void should_hold_the_lock_for_a_transaction_until_it_commits_or_rolls_back() {
        Database db = new Database(pool, Dialect.SQLITE);
        assertThat(db.holdsWriteLock()).isFalse();
        db.inTransaction(() -> {
            assertThat(db.holdsWriteLock()).isTrue();
            db.update("insert into t (id) values ('a')");
        });
        assertThat(db.holdsWriteLock()).isFalse();
        assertThatThrownBy(() -> db.inTransaction(() -> {
            db.update("insert into t (id) values ('b')");
            throw new IllegalArgumentException("rolled back");
        })).hasMessage("rolled back");
        assertThat(db.holdsWriteLock()).isFalse();
        assertThat(db.writeLock().queueLength()).isZero();
        assertThat(count(db, "id in ('a', 'b')")).isEqualTo(1);
    }

    @Test
    void should_take_the_lock_for_a_write_in_auto_commit_until_the_connection_is_closed_and_never_for_a_read()
            throws Exception {
        Database db = new Database(pool, Dialect.SQLITE);
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from t")) {
                assertThat(rs.next()).isTrue();
            }
            try (PreparedStatement ps = c.prepareStatement("with n as (select 1) select * from n")) {
                ps.executeQuery().close();
            }
            assertThat(db.holdsWriteLock()).isFalse();
            try (PreparedStatement ps = c.prepareStatement("insert into t (id) values ('auto')")) {
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThat(db.holdsWriteLock()).isTrue();
        }
        assertThat(db.holdsWriteLock()).isFalse();
        assertThat(count(db, "id = 'auto'")).isEqualTo(1);
    }

    @Test
    void should_read_while_another_thread_holds_the_lock() throws Exception {
        Database db = new Database(pool, Dialect.SQLITE);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> db.inTransaction(() -> {
            db.update("insert into t (id) values ('uncommitted')");
            written.countDown();
            try {
                finish.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(written.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(db.writeLock().isHeldByCurrentThread()).isFalse();
        assertThat(count(db, "id = 'uncommitted'")).isZero();
        finish.countDown();
        holder.get(60, TimeUnit.SECONDS);
        assertThat(count(db, "id = 'uncommitted'")).isEqualTo(1);
    }

    @Test
    void should_fail_a_write_that_gets_no_turn_within_the_wait_as_sqlite_busy() throws Exception {
        SqliteWriteLock lock = new SqliteWriteLock(Duration.ofMillis(50));
        Database db = new Database(pool, Dialect.SQLITE, lock);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> {
            lock.acquire();
            held.countDown();
            try {
                finish.await(60, TimeUnit.SECONDS);
            } finally {
                lock.release();
            }
            return null;
        });
        assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> db.update("insert into t (id) values ('cached')"))
                .isInstanceOf(CannotAcquireLockException.class).hasMessageContaining("no turn to write within 50 ms");
        assertThatThrownBy(() -> db.jdbc().sql("insert into t (id) values ('template')").update())
                .isInstanceOf(CannotAcquireLockException.class).hasMessageContaining("no turn to write within 50 ms");
        assertThatThrownBy(() -> db.inTransaction(() -> db.update("insert into t (id) values ('tx')")))
                .isInstanceOf(CannotCreateTransactionException.class).hasRootCauseMessage(
                        "[SQLITE_BUSY] the database is locked: no turn to write within 50 ms"
                                + " (the writes before this one held it that long)");
        assertThat(count(db, "true")).isZero();

        finish.countDown();
        holder.get(60, TimeUnit.SECONDS);
        db.update("insert into t (id) values ('cached')");
        assertThat(count(db, "true")).isEqualTo(1);
    }

    @Test
    void should_refuse_a_group_commit_from_a_thread_holding_the_lock() throws Exception {
        Database db = new Database(pool, Dialect.SQLITE);
        try (GroupCommit commits = new GroupCommit(db, 64)) {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("insert into t (id) values ('held')")) {
                ps.executeUpdate();
                assertThatThrownBy(() -> commits.commit(() -> db.update("insert into t (id) values ('inner')")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("holding the SQLite write lock");
            }
            commits.commit(() -> db.update("insert into t (id) values ('after')"));
        }
        assertThat(count(db, "id in ('held', 'after')")).isEqualTo(2);
        assertThat(count(db, "id = 'inner'")).isZero();
    }

    @Test
    void should_leave_postgresql_connections_unwrapped() throws Exception {
        SimpleDriverDataSource never = new SimpleDriverDataSource(); // never connected here
        Database postgres = new Database(never, Dialect.POSTGRESQL);
        assertThat(postgres.dataSource()).isSameAs(never);
        assertThat(postgres.writeLock()).isNull();
        assertThat(postgres.holdsWriteLock()).isFalse();

        Database sqlite = new Database(pool, Dialect.SQLITE);
        assertThat(sqlite.dataSource()).isNotSameAs(pool);
        assertThat(sqlite.dataSource().unwrap(HikariDataSource.class)).isSameAs(pool);
    }

    @Test
    void should_treat_as_a_write_every_statement_but_a_plain_read() {
        assertThat(SqliteWriteLock.writes("select * from t")).isFalse();
        assertThat(SqliteWriteLock.writes("  -- a comment\n /* another */ (SELECT 1)")).isFalse();
        assertThat(SqliteWriteLock.writes("values (1)")).isFalse();
        assertThat(SqliteWriteLock.writes("explain query plan select 1")).isFalse();
        assertThat(SqliteWriteLock.writes("PRAGMA wal_checkpoint(PASSIVE)")).isFalse();
        assertThat(SqliteWriteLock.writes("with x as (select 1) select * from x")).isFalse();
        assertThat(SqliteWriteLock.writes("with x as (select 1) delete from t where id in x")).isTrue();
        assertThat(SqliteWriteLock.writes("insert into t (id) values (1)")).isTrue();
        assertThat(SqliteWriteLock.writes("Update t set id = 2 returning id")).isTrue();
        assertThat(SqliteWriteLock.writes("delete from t")).isTrue();
        assertThat(SqliteWriteLock.writes("create table u (id text)")).isTrue();
        assertThat(SqliteWriteLock.writes("")).isTrue();
    }
}
