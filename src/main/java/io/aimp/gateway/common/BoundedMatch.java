package io.aimp.gateway.playground;

import java.util.regex.Pattern;

/**
 * {@code find} of a pattern a caller sent, with a bound on the work: a pattern that backtracks
 * catastrophically ({@code (a+)+$} on a long answer) would otherwise hold a thread for as long as it
 * takes. The matcher reads the text through a view that counts the characters it reads and gives up
 * past {@link #MAX_READS}.
 */
final class BoundedMatch {

    /** Characters read before a match gives up: milliseconds of work, far more than any sane pattern needs. */
    static final long MAX_READS = 5_000_000;

    /** Thrown when a match read more than {@link #MAX_READS} characters. */
    static final class TooComplex extends RuntimeException {
        TooComplex() {
            super("the pattern needs too much work on this text", null, false, false);
        }
    }

    private BoundedMatch() {
    }

    /**
     * Whether {@code pattern} finds a match in {@code text}.
     *
     * @throws TooComplex when the match reads more than {@link #MAX_READS} characters
     */
    static boolean find(Pattern pattern, String text) {
        return pattern.matcher(new Counted(text)).find();
    }

    private static final class Counted implements CharSequence {
        private final String text;
        private final long[] reads;

        Counted(String text) {
            this(text, new long[1]);
        }

        private Counted(String text, long[] reads) {
            this.text = text;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] > MAX_READS) {
                throw new TooComplex();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text.substring(start, end), reads);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
