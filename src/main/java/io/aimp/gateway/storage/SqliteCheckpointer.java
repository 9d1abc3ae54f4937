package io.aimp.gateway.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite: copies the write-ahead log back into the database file on a thread of its own. Left to
 * SQLite, the commit that crosses the WAL's size threshold does this copy (and its fsyncs) before it
 * returns, so every few dozen runs one run waits for it. Here a passive checkpoint runs every
 * {@link #INTERVAL} on this thread and never blocks the writer; while the writer appends, checkpoints
 * follow each other (each copies only what came since the last one) until one has caught up.
 *
 * <p>The WAL starts over from its beginning only when a write transaction begins after a checkpoint
 * has caught up with all of it, which a busy writer almost never leaves room for. So once a
 * checkpoint caught up with a WAL of {@link #RESTART_FRAMES} frames or more, the group-commit
 * writer runs one more passive checkpoint between two batches ({@link #betweenBatches}): it copies
 * only the last few frames, and the next transaction restarts the WAL. SQLite's own checkpoint on
 * commit stays as the safety net past {@link #FALLBACK_PAGES} (this thread stopped or cannot keep up).
 */
final class SqliteCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);
    /** SQLite's own checkpoint threshold, set on every connection: the safety net (64 MiB of 4 KiB pages). */
    static final int FALLBACK_PAGES = 16_384;
    /** A WAL this long (frames of 4 KiB pages) that a checkpoint caught up with is started over. */
    static final int RESTART_FRAMES = 4_096;
    static final Duration INTERVAL = Duration.ofMillis(100);
    /** Between checkpoints that have not caught up yet: lets the writer's commits through. */
    static final Duration CATCH_UP_PAUSE = Duration.ofMillis(1);

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean warned;
    private volatile boolean restartDue;

    SqliteCheckpointer(DataSource dataSource) {
        this(dataSource, INTERVAL);
    }

    SqliteCheckpointer(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().name("aimp-sqlite-checkpoint").daemon(true).start(() -> loop(interval));
    }

    private void loop(Duration interval) {
        while (running) {
            try {
                Thread.sleep(interval);
                while (running && !checkpoint()) {
                    Thread.sleep(CATCH_UP_PAUSE);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One passive checkpoint. Returns whether it caught up with the whole WAL; a failure is logged
     * once, counts as caught up and is retried at the next interval.
     */
    boolean checkpoint() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            warned = false;
            if (!rs.next()) {
                return true;
            }
            // busy, frames in the WAL, frames checkpointed
            long frames = rs.getLong(2);
            boolean caughtUp = frames <= rs.getLong(3);
            if (caughtUp && frames >= RESTART_FRAMES) {
                restartDue = true;
            }
            return caughtUp;
        } catch (SQLException e) {
            if (!warned) {
                log.warn("background WAL checkpoint failed; SQLite checkpoints on commit until it succeeds again: {}",
                        e.getMessage());
                warned = true;
            }
            return true;
        }
    }

    /**
     * On the group-commit writer between two batches (no transaction open, none can start): when a
     * long WAL was caught up with, checkpoints the last frames so the next transaction restarts it.
     */
    void betweenBatches() {
        if (restartDue) {
            restartDue = false;
            checkpoint();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint();
    }
}
