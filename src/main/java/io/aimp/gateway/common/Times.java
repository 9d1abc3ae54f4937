package io.aimp.gateway.common;

import java.time.Instant;

/** Storage keeps UTC epoch milliseconds; the wire shows ISO-8601 instants. */
public final class Times {

    private Times() {
    }

    public static Instant instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }

    public static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }
}
