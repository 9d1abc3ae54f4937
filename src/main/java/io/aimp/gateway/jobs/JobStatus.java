package io.aimp.gateway.jobs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's lifecycle; the allowed moves are declared here and every other move is refused. A job that
 * finishes is {@code completed} when every item succeeded, {@code failed} when none did, and
 * {@code completed_with_errors} in between.
 */
enum JobStatus {
    RUNNING, COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELED;

    /** The moves out of this state: a job finishes or is canceled, and resume opens a finished one again. */
    Set<JobStatus> next() {
        return switch (this) {
            case RUNNING -> EnumSet.of(COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELED);
            case COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELED -> EnumSet.of(RUNNING);
        };
    }

    boolean canMoveTo(JobStatus to) {
        return next().contains(to);
    }

    /** The state a job finishes in, from its closed items: those that succeeded and those that did not. */
    static JobStatus finished(int succeeded, int notSucceeded) {
        if (notSucceeded == 0) {
            return COMPLETED;
        }
        return succeeded == 0 ? FAILED : COMPLETED_WITH_ERRORS;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state for a wire name, or null when there is none. */
    static JobStatus parse(String wire) {
        for (JobStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
