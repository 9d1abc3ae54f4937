package io.aimp.gateway.limits;

import java.util.Locale;

/** What a limit counts. */
public enum Dimension {
    REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, CONCURRENT_RUNS, DAILY_CREDITS, MONTHLY_CREDITS, IMAGES_PER_MINUTE,
    IMAGES_PER_DAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
