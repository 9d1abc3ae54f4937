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
 * {@link #INTERVAL} on this thread and never takes a lock the writer needs; while the writer appends,
 * checkpoints follow each other (each copies only what came since the last one) until one has caught up.
 *
 * <p>Checkpoints are small and frequent on purpose: a checkpoint's fsyncs still slow the writer's
 * appends (the file system's journal), and how long they do grows with what the checkpoint copies.
 * Measured at one run at a time, checkpoints every 10 ms instead of every 100 ms cut the gateway's p99
 * latency from 3.1 to 1.8 ms, and every second made it 32 ms (BENCHMARKS.md). While the WAL does not
 * grow the pause doubles, up to {@link #IDLE_INTERVAL}, so an idle gateway wakes a few times a second.
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
    static final Duration INTERVAL = Duration.ofMillis(10);
    /** The longest pause, reached when the WAL stops growing. */
    static final Duration IDLE_INTERVAL = Duration.ofMillis(200);
    /** Between checkpoints that have not caught up yet: lets the writer's commits through. */
    static final Duration CATCH_UP_PAUSE = Duration.ofMillis(1);

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean warned;
    private volatile boolean restartDue;
    /** Frames in the WAL at the last checkpoint: unchanged means nothing was committed since. */
    private volatile long lastFrames = -1;

    SqliteCheckpointer(DataSource dataSource) {
        this(dataSource, INTERVAL);
    }

    SqliteCheckpointer(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().name("aimp-sqlite-checkpoint").daemon(true).start(() -> loop(interval));
    }

    private void loop(Duration interval) {
        Duration pause = interval;
        while (running) {
            try {
                Thread.sleep(pause);
                long before = lastFrames;
                while (running && !checkpoint()) {
                    Thread.sleep(CATCH_UP_PAUSE);
                }
                pause = nextPause(pause, interval, lastFrames != before);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The pause before the next checkpoint: the interval while the WAL grows, else twice the last, up to idle. */
    static Duration nextPause(Duration last, Duration interval, boolean walGrew) {
        if (walGrew) {
            return interval;
        }
        Duration idle = interval.compareTo(IDLE_INTERVAL) > 0 ? interval : IDLE_INTERVAL;
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(idle) > 0 ? idle : doubled;
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
            lastFrames = frames;
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
     * On the group-commit writer between two batches (its own transaction closed, no batch can start): when a
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
