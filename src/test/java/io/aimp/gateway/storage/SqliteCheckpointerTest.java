package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WAL checkpoints off the commit path: commits leave the WAL to the checkpointer up to the safety
 * net, a checkpoint catches up with it, the next transaction then starts the WAL over, and the
 * group-commit writer gives the checkpointer its turn between batches.
 */
class SqliteCheckpointerTest {

    private TestDatabases.TestDatabase testDatabase;
    private Database db;
    /** Its own thread waits an hour: the test calls it. */
    private SqliteCheckpointer checkpointer;

    @BeforeEach
    void open() {
        testDatabase = TestDatabases.sqlite();
        db = testDatabase.database();
        db.jdbc().sql("create table pages (id integer primary key, body text not null)").update();
        checkpointer = new SqliteCheckpointer(db.dataSource(), Duration.ofHours(1));
        // the pool opens its idle connections in the background, and a connection being opened reads the database:
        // a reader at the moment of a write keeps SQLite from starting the WAL over, which one test asserts
        com.zaxxer.hikari.HikariDataSource pool = unwrap(db.dataSource());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> pool.getHikariPoolMXBean().getIdleConnections() >= pool.getMinimumIdle());
    }

    private static com.zaxxer.hikari.HikariDataSource unwrap(javax.sql.DataSource ds) {
        try {
            return ds.unwrap(com.zaxxer.hikari.HikariDataSource.class);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        checkpointer.close();
        testDatabase.close();
    }

    private String file() {
        return db.jdbc().sql("select file from pragma_database_list where name = 'main'").query(String.class).single();
    }

    /** Commits that together write about {@code pages} pages to the WAL. */
    private void writePages(int pages) {
        String body = "x".repeat(3_900); // one row per 4 KiB page
        for (int i = 0; i < pages / 10; i++) {
            db.inTransaction(() -> {
                for (int r = 0; r < 10; r++) {
                    db.update("insert into pages (body) values (?)", body);
                }
            });
        }
    }

    /** Frames in the WAL after a passive checkpoint (which is what the connection reports). */
    private long walFrames() {
        return db.jdbc().sql("PRAGMA wal_checkpoint(PASSIVE)").query((rs, n) -> rs.getLong(2)).single();
    }

    @Test
    void should_set_the_safety_net_threshold_on_every_connection() {
        assertThat(db.jdbc().sql("PRAGMA wal_autocheckpoint").query(Integer.class).single())
                .isEqualTo(SqliteCheckpointer.FALLBACK_PAGES);
    }

    @Test
    void should_leave_the_checkpoint_to_the_checkpointer_and_start_the_wal_over_once_it_caught_up() throws Exception {
        writePages(3_000);
        // SQLite's default (1,000 pages) would have checkpointed and restarted a WAL of ~4 MiB
        long walBytes = Files.size(Path.of(file() + "-wal"));
        assertThat(walBytes).as("WAL left by the commits").isGreaterThan(2_500L * 4096);

        assertThat(checkpointer.checkpoint()).as("caught up").isTrue();
        writePages(10);
        assertThat(walFrames()).as("frames after the WAL started over").isLessThan(100);
    }

    /** The database file itself: it grows only when a checkpoint copies pages into it. */
    private long databaseBytes() throws Exception {
        return Files.size(Path.of(file()));
    }

    @Test
    void should_finish_a_long_caught_up_wal_between_batches() {
        writePages(SqliteCheckpointer.RESTART_FRAMES + 200);
        assertThat(checkpointer.checkpoint()).isTrue();
        checkpointer.betweenBatches(); // due: one more checkpoint, which copies nothing new here
        writePages(10);
        assertThat(walFrames()).isLessThan(100);
    }

    @Test
    void should_copy_what_the_writer_added_since_a_long_wal_was_caught_up_once() throws Exception {
        writePages(SqliteCheckpointer.RESTART_FRAMES + 200);
        assertThat(checkpointer.checkpoint()).isTrue();
        writePages(200); // the writer went on meanwhile
        long before = databaseBytes();
        checkpointer.betweenBatches(); // due: copies what came since
        assertThat(databaseBytes()).as("pages the writer's checkpoint copied").isGreaterThan(before + 150L * 4096);

        writePages(200);
        long after = databaseBytes();
        checkpointer.betweenBatches(); // done once: not due again
        assertThat(databaseBytes()).isEqualTo(after);
    }

    @Test
    void should_not_checkpoint_between_batches_after_catching_up_with_a_short_wal() throws Exception {
        writePages(200);
        assertThat(checkpointer.checkpoint()).isTrue();
        writePages(200);
        long before = databaseBytes();
        checkpointer.betweenBatches();
        assertThat(databaseBytes()).isEqualTo(before);
    }

    @Test
    void should_give_the_checkpointer_its_turn_after_each_batch() {
        AtomicInteger turns = new AtomicInteger();
        GroupCommit commits = new GroupCommit(db, 64, turns::incrementAndGet);
        try {
            commits.commit(() -> db.update("insert into pages (body) values ('a')"));
            commits.commit(() -> db.update("insert into pages (body) values ('b')"));
        } finally {
            commits.close();
        }
        assertThat(turns.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void should_checkpoint_at_the_interval_while_the_wal_grows_and_back_off_to_the_idle_pause() {
        Duration interval = SqliteCheckpointer.INTERVAL;
        assertThat(SqliteCheckpointer.nextPause(Duration.ofMillis(160), interval, true)).isEqualTo(interval);
        Duration pause = interval;
        int steps = 0;
        while (!pause.equals(SqliteCheckpointer.IDLE_INTERVAL) && steps++ < 10) {
            Duration next = SqliteCheckpointer.nextPause(pause, interval, false);
            assertThat(next).isGreaterThan(pause).isLessThanOrEqualTo(pause.multipliedBy(2));
            pause = next;
        }
        assertThat(pause).isEqualTo(SqliteCheckpointer.IDLE_INTERVAL);
        assertThat(SqliteCheckpointer.nextPause(pause, interval, false)).isEqualTo(SqliteCheckpointer.IDLE_INTERVAL);
        // an interval longer than the idle pause is never shortened
        assertThat(SqliteCheckpointer.nextPause(Duration.ofHours(1), Duration.ofHours(1), false)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void should_copy_committed_pages_into_the_database_file_on_its_own_thread() throws Exception {
        SqliteCheckpointer running = new SqliteCheckpointer(db.dataSource(), Duration.ofMillis(10));
        try {
            long before = databaseBytes();
            writePages(200);
            // the checkpointer may copy the pages in several passes: wait for exactly what is asserted
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertThat(databaseBytes()).as("database file after the background checkpoint")
                            .isGreaterThan(before + 150L * 4096));
        } finally {
            running.close();
        }
    }
}
