package io.aimp.gateway.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes (SHA-256) what passes through, and fails on the first byte past {@code limit}. */
final class LimitedDigestStream extends FilterInputStream {

    /** Thrown once more than the limit has been read; nothing past the limit is passed on. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("more than the declared " + limit + " bytes");
        }
    }

    private final long limit;
    private final MessageDigest sha;
    private long count;

    LimitedDigestStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (count + n > limit) {
                count += n;
                throw new TooLarge(limit);
            }
            count += n;
            sha.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must be counted and hashed
    }

    long count() {
        return count;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha.digest());
    }
}
