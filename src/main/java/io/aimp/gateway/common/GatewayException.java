package io.aimp.gateway.common;

import java.util.List;
import java.util.Map;

/**
 * The one exception type of the gateway. Raised anywhere, turned into problem JSON only at the
 * HTTP edge. {@code code} is a stable machine-readable snake_case identifier; {@code detail} is a
 * human sentence that must never carry a secret, a stack trace or an internal table name.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCategory category;
    private final int status;
    private final String code;
    private final String title;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    protected GatewayException(Builder b) {
        super(b.detail, null, false, false);
        this.category = b.category;
        this.status = b.status;
        this.code = b.code;
        this.title = b.title;
        this.errors = List.copyOf(b.errors);
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.extensions = Map.copyOf(b.extensions);
        this.headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.headers));
    }

    public static Builder of(ErrorCategory category, String code, String detail) {
        return new Builder(category, code, detail);
    }

    public static GatewayException invalid(String code, String detail) {
        return of(ErrorCategory.INVALID_REQUEST, code, detail).build();
    }

    public static GatewayException invalidField(String code, String path, String message) {
        return of(ErrorCategory.INVALID_REQUEST, code, message).error(path, message).build();
    }

    public static GatewayException notFound(String what) {
        return of(ErrorCategory.INVALID_REQUEST, "not_found", what + " was not found").status(404).build();
    }

    public static GatewayException unauthenticated(String code, String detail) {
        return of(ErrorCategory.AUTHENTICATION, code, detail).build();
    }

    public static GatewayException forbidden(String code, String detail) {
        return of(ErrorCategory.PERMISSION, code, detail).build();
    }

    public ErrorCategory category() {
        return category;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds after which a retry may succeed, or {@code null} when waiting does not help. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Extra members of the problem body (e.g. {@code run_id}). Values must be JSON-serialisable. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Extra response headers (e.g. {@code RateLimit-Limit}); the edge renders them with the problem. */
    public Map<String, String> headers() {
        return headers;
    }

    public static final class Builder {
        private final ErrorCategory category;
        private final String code;
        private final String detail;
        private int status;
        private String title;
        private final java.util.ArrayList<FieldError> errors = new java.util.ArrayList<>();
        private Long retryAfterSeconds;
        private final java.util.LinkedHashMap<String, Object> extensions = new java.util.LinkedHashMap<>();
        private final java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();

        private Builder(ErrorCategory category, String code, String detail) {
            this.category = category;
            this.code = code;
            this.detail = detail;
            this.status = category.defaultStatus();
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder error(String path, String message) {
            errors.add(new FieldError(path, message));
            return this;
        }

        public Builder errors(List<FieldError> more) {
            errors.addAll(more);
            return this;
        }

        public Builder retryAfter(long seconds) {
            this.retryAfterSeconds = Math.max(1, seconds);
            return this;
        }

        public Builder with(String name, Object value) {
            extensions.put(name, value);
            return this;
        }

        /** A response header to send with the problem; names and values must be plain ASCII. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public GatewayException build() {
            return new GatewayException(this);
        }
    }
}
