package io.aimp.gateway.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Tool names: {@code <slug>__<mode>} restricted to the characters MCP allows ({@code [A-Za-z0-9_-]}) and at
 * most 64 characters. A longer name keeps its start and ends with a short hash of the whole, so it stays
 * stable and distinct.
 */
final class ToolNames {

    static final int MAX = 64;
    private static final int HASH_CHARS = 8;

    private ToolNames() {
    }

    static String of(String slug, String mode) {
        String raw = slug + "__" + mode;
        String clean = raw.replaceAll("[^A-Za-z0-9_-]", "_");
        if (clean.length() <= MAX && clean.equals(raw)) {
            return clean;
        }
        if (clean.length() <= MAX - HASH_CHARS - 1 && !clean.equals(raw)) {
            // replaced characters could make two names equal: tell them apart by the hash
            return clean + "_" + hash(raw);
        }
        return clean.substring(0, MAX - HASH_CHARS - 1) + "_" + hash(raw);
    }

    private static String hash(String raw) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
