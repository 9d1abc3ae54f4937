package io.aimp.gateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Where media bytes live: a directory under the data dir, or an S3-compatible bucket. Keys are made
 * by the server (never from a client's filename): segments of {@code [A-Za-z0-9_-]} joined by
 * {@code /}; anything else is refused with {@link IllegalArgumentException}.
 */
public interface BlobStore {

    Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}(/[A-Za-z0-9_-]{1,128}){0,3}");

    /**
     * Stores everything {@code in} yields under {@code key}, replacing what was there. Memory use does
     * not depend on the size. When reading {@code in} fails, that exception propagates and nothing is
     * stored: a reader never sees a partial blob.
     *
     * @return the number of bytes stored
     */
    long put(String key, InputStream in) throws IOException;

    /**
     * Opens a blob for reading; the caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException when there is no blob under {@code key}
     */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Deletes the blob if there is one; deleting a missing blob is not an error. */
    void delete(String key) throws IOException;

    static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a blob key: only server-made keys of [A-Za-z0-9_-] segments are allowed");
        }
        return key;
    }
}
