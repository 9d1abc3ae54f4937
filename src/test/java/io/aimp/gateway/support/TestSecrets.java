package io.aimp.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;

/** Random, well-formed credentials and scratch directories for tests. */
public final class TestSecrets {

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSecrets() {
    }

    public static String base62(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(c);
    }

    /** An API key in the gateway's format: {@code aimp_sk_} + 43 base62 characters. */
    public static String apiKey() {
        return "aimp_sk_" + base62(43);
    }

    /** A password of 24 random characters (the minimum is 12). */
    public static String password() {
        return "Pw" + base62(22);
    }

    public static String email(String who) {
        return who + "-" + base62(8).toLowerCase(java.util.Locale.ROOT) + "@gateway.test";
    }

    /** A new temporary directory, deleted when the JVM ends. */
    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            deleteOnExit(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree when the JVM ends (best effort: these are temporary files). */
    public static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // nothing else to do
            }
        }));
    }
}
