package io.aimp.gateway.common;

/**
 * Public identifiers: a type prefix, then 10 base32 characters of the creation millisecond (so ids
 * sort by time and index well), then 14 random base62 characters. E.g. {@code run_01J9ZC3K7Q3fX...}.
 */
public final class Ids {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    public static String newId(String prefix) {
        return newId(prefix, System.currentTimeMillis());
    }

    public static String newId(String prefix, long epochMillis) {
        StringBuilder sb = new StringBuilder(prefix.length() + 25).append(prefix).append('_');
        for (int shift = 45; shift >= 0; shift -= 5) {
            sb.append(CROCKFORD[(int) ((epochMillis >>> shift) & 31)]);
        }
        return sb.append(Secrets.randomBase62(14)).toString();
    }
}
