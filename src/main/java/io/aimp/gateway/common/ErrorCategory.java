package io.aimp.gateway.common;

/**
 * The error taxonomy of the wire format: every problem answer carries exactly one category,
 * and the category decides the default HTTP status.
 */
public enum ErrorCategory {
    AUTHENTICATION(401),
    PERMISSION(403),
    LIMIT(429),
    INVALID_REQUEST(400),
    CONFIGURATION(503),
    PROVIDER(502),
    EXECUTION(500);

    private final int defaultStatus;

    ErrorCategory(int defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    public int defaultStatus() {
        return defaultStatus;
    }

    /** The wire name, e.g. {@code invalid_request}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
