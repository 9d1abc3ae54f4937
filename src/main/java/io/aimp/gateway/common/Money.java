package io.aimp.gateway.common;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Credits as integer micro-credits: 1 credit = 1,000,000 micros. Never a floating-point amount. */
public final class Money {

    public static final long MICROS_PER_CREDIT = 1_000_000L;

    private Money() {
    }

    /** Parses a decimal amount of credits with at most 6 decimals; more decimals are an error. */
    public static long parseCredits(String credits) {
        BigDecimal d = new BigDecimal(credits.trim());
        if (d.scale() > 6 && d.stripTrailingZeros().scale() > 6) {
            throw new IllegalArgumentException("at most 6 decimals allowed: " + credits);
        }
        return d.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }

    public static long fromCredits(BigDecimal credits) {
        return parseCredits(credits.toPlainString());
    }

    /** Formats micro-credits as a plain decimal string with 6 decimals, e.g. {@code 0.370000}. */
    public static String format(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }
}
