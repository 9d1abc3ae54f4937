package io.aimp.gateway.common;

import java.util.regex.Pattern;

/**
 * A caller's value made fit to echo in an answer or a log line: letters, digits and {@code _ . : / + -}
 * only (every other character becomes {@code ?}, so no markup, control character or line break gets
 * through), at most {@value #MAX} characters (then an ellipsis).
 */
public final class Printable {

    static final int MAX = 80;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.:/+\\-]");

    private Printable() {
    }

    /** {@code value} fit to echo; {@code (none)} for null. */
    public static String of(String value) {
        if (value == null) {
            return "(none)";
        }
        String s = UNSAFE.matcher(value).replaceAll("?");
        return s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    }
}
