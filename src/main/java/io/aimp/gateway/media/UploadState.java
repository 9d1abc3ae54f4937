package io.aimp.gateway.media;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of an upload, with every allowed move declared here and nowhere else. The store
 * applies a move only as a conditional update from the expected state, so two racing requests
 * cannot both win (e.g. two PUTs to the same URL).
 *
 * <pre>
 * initiated → uploading → uploaded → completed
 *     │           │           │
 *     └→ expired  ├→ failed   ├→ failed   (content refused at complete)
 *                 └→ expired  └→ expired  (abandoned, cleaned by the scheduled job)
 * </pre>
 */
public enum UploadState {
    INITIATED, UPLOADING, UPLOADED, COMPLETED, EXPIRED, FAILED;

    private Set<UploadState> next() {
        return switch (this) {
            case INITIATED -> EnumSet.of(UPLOADING, EXPIRED);
            case UPLOADING -> EnumSet.of(UPLOADED, FAILED, EXPIRED);
            case UPLOADED -> EnumSet.of(COMPLETED, FAILED, EXPIRED);
            case COMPLETED, EXPIRED, FAILED -> EnumSet.noneOf(UploadState.class);
        };
    }

    public boolean canMoveTo(UploadState target) {
        return next().contains(target);
    }

    /** Whether the upload still holds a reservation of its workspace's storage quota. */
    public boolean holdsReservation() {
        return this == INITIATED || this == UPLOADING || this == UPLOADED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static UploadState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
