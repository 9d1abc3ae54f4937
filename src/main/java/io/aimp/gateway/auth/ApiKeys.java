package io.aimp.gateway.auth;

import io.aimp.gateway.common.Secrets;
import java.util.regex.Pattern;

/** The API key format: {@code aimp_sk_} + 43 base62 characters (256 bits of randomness). */
final class ApiKeys {

    static final String PREFIX = "aimp_sk_";
    private static final int SECRET_CHARS = 43;
    /** Display prefix length: {@code aimp_sk_} + 4 characters. Short enough to be safe to log. */
    private static final int DISPLAY_CHARS = PREFIX.length() + 4;
    private static final Pattern WELL_FORMED = Pattern.compile("aimp_sk_[0-9A-Za-z]{43,64}");

    private ApiKeys() {
    }

    static String generate() {
        return PREFIX + Secrets.randomBase62(SECRET_CHARS);
    }

    static boolean isWellFormed(String key) {
        return key != null && WELL_FORMED.matcher(key).matches();
    }

    static boolean looksLikeApiKey(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_CHARS, key.length()));
    }
}
