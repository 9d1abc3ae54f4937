package io.aimp.gateway.common;

import java.util.regex.Pattern;

/**
 * {@code find} of a pattern a caller sent, with a bound on the work: a pattern that backtracks
 * catastrophically ({@code (a+)+$} on a long answer) would otherwise hold a thread for as long as it
 * takes. The matcher reads the text through a view that counts the characters it reads and gives up
 * past {@link #MAX_READS}.
 */
public final class BoundedMatch {

    /** Characters read before a match gives up: milliseconds of work, far more than any sane pattern needs. */
    public static final long MAX_READS = 5_000_000;

    /** Thrown when a match read more than {@link #MAX_READS} characters. */
    public static final class TooComplex extends RuntimeException {
        private final String pattern;

        TooComplex(String pattern) {
            super("the pattern needs too much work on this text", null, false, false);
            this.pattern = pattern;
        }

        /** The pattern that gave up. */
        public String pattern() {
            return pattern;
        }
    }

    private BoundedMatch() {
    }

    /**
     * Whether {@code pattern} finds a match in {@code text}.
     *
     * @throws TooComplex when the match reads more than {@link #MAX_READS} characters
     */
    public static boolean find(Pattern pattern, String text) {
        return pattern.matcher(new Counted(text, pattern.pattern())).find();
    }

    private static final class Counted implements CharSequence {
        private final String text;
        private final String pattern;
        private final long[] reads;

        Counted(String text, String pattern) {
            this(text, pattern, new long[1]);
        }

        private Counted(String text, String pattern, long[] reads) {
            this.text = text;
            this.pattern = pattern;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] > MAX_READS) {
                throw new TooComplex(pattern);
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text.substring(start, end), pattern, reads);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
