package io.aimp.gateway.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A job's lifecycle; the allowed moves are declared here and every other move is refused. */
enum JobStatus {
    RUNNING, COMPLETED, CANCELED;

    /** The moves out of this state: a job finishes or is canceled, and resume opens a finished one again. */
    Set<JobStatus> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(COMPLETED, CANCELED);
            case COMPLETED, CANCELED -> EnumSet.of(RUNNING);
        };
    }

    boolean canMoveTo(JobStatus to) {
        return next().contains(to);
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
