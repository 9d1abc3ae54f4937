package io.aimp.gateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Blobs as files under one root directory. A blob is written to a temporary file in the root's
 * {@code .tmp} folder and moved into place atomically, so a reader sees the whole file or none.
 */
final class FilesystemBlobStore implements BlobStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;

    FilesystemBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
        this.tmp = Files.createDirectories(this.root.resolve(".tmp"));
    }

    @Override
    public long put(String key, InputStream in) throws IOException {
        Path target = resolve(key);
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        long n = 0;
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, r);
                    n += r;
                }
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return n;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(key);
        }
        return Files.newInputStream(p);
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    /** The key's path, checked again after normalising so nothing can resolve outside the root. */
    private Path resolve(String key) {
        Path p = root.resolve(BlobStore.checkKey(key)).normalize();
        if (!p.startsWith(root) || p.equals(root) || p.startsWith(tmp)) {
            throw new IllegalArgumentException("blob key resolves outside the store");
        }
        return p;
    }
}
