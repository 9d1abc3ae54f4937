package io.aimp.gateway.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A bulk item's lifecycle. {@code RUNNING → QUEUED} is the requeue of an item whose lease ended
 * (its node died) or that a limit asked to wait; {@code FAILED/CANCELED → QUEUED} is a resume.
 */
enum ItemStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    Set<ItemStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELED, QUEUED);
            case FAILED, CANCELED -> EnumSet.of(QUEUED);
            case SUCCEEDED -> EnumSet.noneOf(ItemStatus.class);
        };
    }

    boolean canMoveTo(ItemStatus to) {
        return next().contains(to);
    }

    boolean open() {
        return this == QUEUED || this == RUNNING;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ItemStatus parse(String wire) {
        for (ItemStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
