package io.aimp.gateway.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Random tokens, keyed hashes and constant-time comparison: the primitives every secret goes through. */
public final class Secrets {

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * {@code length} base62 characters from a CSPRNG (each carries ~5.95 bits). The random bytes are
     * drawn a batch at a time: every draw takes the generator's lock and mixes its state, so one draw
     * per character made every new id cost fourteen of them.
     */
    public static String randomBase62(int length) {
        char[] out = new char[length];
        byte[] bytes = new byte[length + 4];
        int used = bytes.length;
        for (int i = 0; i < length; ) {
            if (used == bytes.length) {
                RANDOM.nextBytes(bytes);
                used = 0;
            }
            int v = bytes[used++] & 0xFF;
            // rejection sampling keeps the distribution uniform: 248 = 4 * 62
            if (v < 248) {
                out[i++] = BASE62[v % 62];
            }
        }
        return new String(out);
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** HMAC-SHA256 of {@code value} under {@code key}, lower-case hex. */
    public static String hmacHex(byte[] key, String value) {
        return hex(keyedMac(key), value);
    }

    /** HMAC-SHA256 under one key, for a key used on every request: the key is set up once, not per use. */
    public static Hmac hmac(byte[] key) {
        return new Hmac(keyedMac(key));
    }

    /** Thread-safe: each use works on a copy of the keyed {@link Mac} (a Mac is not). */
    public static final class Hmac {

        private final Mac keyed;

        private Hmac(Mac keyed) {
            this.keyed = keyed;
        }

        /** Lower-case hex of the HMAC of {@code value}. */
        public String hex(String value) {
            try {
                return Secrets.hex((Mac) keyed.clone(), value);
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("HmacSHA256 cannot be copied", e);
            }
        }
    }

    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String hex(Mac mac, String value) {
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Constant-time equality of two strings (time depends only on the length). */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
