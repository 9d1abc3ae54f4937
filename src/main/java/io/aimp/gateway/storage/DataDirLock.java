package io.aimp.gateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One gateway process per embedded (SQLite) database: the single-node mode keeps wallet holds and
 * limits in memory, which is exact only while no other process writes the same database. The lock
 * is the operating system's, so a crashed process (kill -9) never leaves it behind.
 */
public final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir}, or fails with a message that names the setting. */
    public static DataDirLock acquire(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("gateway.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new InUse("another gateway is already using aimp.data-dir (AIMP_DATA_DIR) " + dir
                        + "; the embedded database serves one process (use PostgreSQL for several nodes)");
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock aimp.data-dir (AIMP_DATA_DIR) " + dir, e);
        }
    }

    /** The data dir belongs to another running gateway. */
    public static final class InUse extends IllegalStateException {
        InUse(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
