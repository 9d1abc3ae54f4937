package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/**
 * Group commit, per dialect: every caller returns only after its own unit is
 * committed, concurrent units share transactions, a failing unit fails alone and is rethrown to its
 * caller only, units that lock rows in opposite orders all commit, a call inside a transaction is
 * refused, and on PostgreSQL a lone caller commits its unit on its own thread.
 */
abstract class GroupCommitTest {

    /** The backend. */
    abstract Dialect dialect();

    private TestDatabases.TestDatabase testDatabase;
    private Database db;
    private GroupCommit commits;

    @BeforeEach
    void open() {
        testDatabase = TestDatabases.open(dialect());
        db = testDatabase.database();
        db.jdbc().sql("create table t (id text primary key, tx integer)").update();
        db.jdbc().sql("create table c (id text primary key, n integer not null)").update();
        db.jdbc().sql("insert into c (id, n) values ('x', 0), ('y', 0)").update();
        commits = new GroupCommit(db, 64);
    }

    @AfterEach
    void close() {
        commits.close();
        testDatabase.close();
    }

    private long count(String where) {
        return db.jdbc().sql("select count(*) from t where " + where).query(Long.class).single();
    }

    @Test
    void should_commit_a_lone_callers_unit_before_returning() {
        commits.commit(() -> db.update("insert into t (id) values (?)", "alone"));
        assertThat(count("id = 'alone'")).isEqualTo(1);
    }

    @Test
    void should_send_batched_statements_before_the_commit_and_fail_only_the_unit_whose_check_fails() throws Exception {
        int callers = 24;
        CountDownLatch start = new CountDownLatch(1);
        java.util.Map<String, Integer> changed = new java.util.concurrent.ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                String id = "b" + c;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        commits.commit(() -> {
                            db.updateInBatch("insert into t (id) values (?)", new Object[] {id}, Database.exactlyOne("insert"));
                            db.updateInBatch("update c set n = n + 1 where id = ?", new Object[] {"x"}, n -> changed.put(id, n));
                            db.updateInBatch("update c set n = n + 1 where id = ?", new Object[] {"y"}, n -> { });
                            // the unit of caller 0 refuses its count: it alone fails, nothing of it commits
                            if (id.equals("b0")) {
                                db.updateInBatch("update c set n = n where id = ?", new Object[] {"missing"},
                                        Database.exactlyOne("missing row"));
                            }
                        });
                        return true;
                    } catch (IllegalStateException refused) {
                        assertThat(refused).hasMessageContaining("missing row");
                        return false;
                    }
                }));
            }
            start.countDown();
            long committed = 0;
            for (Future<Boolean> f : futures) {
                committed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(committed).isEqualTo(callers - 1);
        }
        assertThat(count("id like 'b%'")).isEqualTo(callers - 1);
        assertThat(count("id = 'b0'")).isZero();
        assertThat(db.jdbc().sql("select n from c where id = 'x'").query(Long.class).single()).isEqualTo(callers - 1L);
        assertThat(db.jdbc().sql("select n from c where id = 'y'").query(Long.class).single()).isEqualTo(callers - 1L);
        // every committed unit's sink got its statement's count
        assertThat(changed).hasSizeGreaterThanOrEqualTo(callers - 1).containsValue(1).doesNotContainValue(0);
    }

    @Test
    void should_run_a_batched_statement_at_once_outside_a_group_commit() {
        int[] seen = {-1};
        db.inTransaction(() -> {
            db.updateInBatch("update c set n = 5 where id = ?", new Object[] {"x"}, n -> seen[0] = n);
            // it ran before this line: the row is changed already in this transaction
            assertThat(seen[0]).isEqualTo(1);
            assertThat(db.jdbc().sql("select n from c where id = 'x'").query(Long.class).single()).isEqualTo(5L);
        });
    }

    @Test
    void should_commit_every_concurrent_unit_once_sharing_transactions() throws Exception {
        int callers = 32;
        int perCaller = 40;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perCaller; i++) {
                        String id = caller + "-" + i;
                        commits.commit(() -> {
                            // the transaction's connection holder: one object per transaction
                            int tx = System.identityHashCode(org.springframework.transaction.support.TransactionSynchronizationManager
                                    .getResourceMap().values().iterator().next());
                            db.update("insert into t (id, tx) values (?, ?)", id, tx);
                        });
                        // committed before commit() returned: visible to a new connection at once
                        assertThat(count("id = '" + id + "'")).isEqualTo(1);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(count("1 = 1")).isEqualTo((long) callers * perCaller);
        // units were batched: some transactions hold several units
        long distinctTransactions = db.jdbc().sql("select count(*) from (select 1 from t group by tx having count(*) > 1) batches")
                .query(Long.class).single();
        assertThat(distinctTransactions).as("batches holding more than one unit").isPositive();
    }

    @Test
    void should_commit_every_unit_when_batches_lock_rows_in_opposite_orders() throws Exception {
        int callers = 16;
        int perCaller = 25;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                String first = c % 2 == 0 ? "x" : "y";
                String second = c % 2 == 0 ? "y" : "x";
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perCaller; i++) {
                        commits.commit(() -> {
                            db.update("update c set n = n + 1 where id = ?", first);
                            db.update("update c set n = n + 1 where id = ?", second);
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        assertThat(db.jdbc().sql("select n from c where id = 'x'").query(Long.class).single()).isEqualTo((long) callers * perCaller);
        assertThat(db.jdbc().sql("select n from c where id = 'y'").query(Long.class).single()).isEqualTo((long) callers * perCaller);
    }

    @Test
    void should_run_a_lone_callers_unit_on_its_own_thread_on_postgresql() throws Exception {
        Assumptions.assumeTrue(dialect() == Dialect.POSTGRESQL, "SQLite commits on its writer thread");
        Thread[] ranOn = new Thread[1];
        Thread caller = Thread.ofVirtual().unstarted(() -> commits.commit(() -> {
            ranOn[0] = Thread.currentThread();
            db.update("insert into t (id) values (?)", "own");
        }));
        caller.start();
        assertThat(caller.join(Duration.ofSeconds(30))).isTrue();
        assertThat(ranOn[0]).isSameAs(caller);
        assertThat(count("id = 'own'")).isEqualTo(1);
    }

    @Test
    void should_fail_only_the_bad_unit_of_a_batch() throws Exception {
        commits.commit(() -> db.update("insert into t (id) values (?)", "taken"));
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                String id = c == 7 ? "taken" : "ok-" + c;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        commits.commit(() -> db.update("insert into t (id) values (?)", id));
                        return true;
                    } catch (DuplicateKeyException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            for (int c = 0; c < callers; c++) {
                assertThat(outcomes.get(c).get(60, TimeUnit.SECONDS)).as("caller " + c).isEqualTo(c != 7);
            }
        }
        assertThat(count("id like 'ok-%'")).isEqualTo(callers - 1);
    }

    @Test
    void should_rethrow_the_units_exception_and_commit_nothing_of_it() {
        assertThatThrownBy(() -> commits.commit(() -> {
            db.update("insert into t (id) values (?)", "half");
            throw new IllegalArgumentException("the unit's own failure");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("the unit's own failure");
        assertThat(count("id = 'half'")).isZero();
    }

    @Test
    void should_refuse_a_call_inside_a_transaction() {
        assertThatThrownBy(() -> db.inTransaction(() -> commits.commit(() -> db.update("insert into t (id) values ('x')"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction");
        assertThat(count("id = 'x'")).isZero();
    }
}
