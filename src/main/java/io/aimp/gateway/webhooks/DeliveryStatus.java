package io.aimp.gateway.webhooks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A delivery's lifecycle. {@code PENDING → DELIVERING} is a claim (with a lease);
 * {@code DELIVERING → PENDING} a retry after a failed attempt; {@code DELIVERING → DELIVERING} the
 * claim of a delivery whose lease ended (its node died mid-attempt).
 */
enum DeliveryStatus {
    PENDING, DELIVERING, SUCCEEDED, FAILED;

    Set<DeliveryStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(DELIVERING);
            case DELIVERING -> EnumSet.of(DELIVERING, PENDING, SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED -> EnumSet.noneOf(DeliveryStatus.class);
        };
    }

    boolean canMoveTo(DeliveryStatus to) {
        return next().contains(to);
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
