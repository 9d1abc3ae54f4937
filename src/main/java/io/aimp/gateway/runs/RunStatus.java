package io.aimp.gateway.runs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The run lifecycle. Every allowed move is in {@link #ALLOWED}; the stores refuse the rest. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELED, FAILED),
            // back to the queue: an async run whose concurrency slot was taken waits for one without failing
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELED, EnumSet.noneOf(RunStatus.class));

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean terminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus parse(String wire) {
        for (RunStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
