package io.aimp.gateway.providers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a provider call produced no result. The message carries only the failure class, the HTTP
 * status and a fixed phrase: never a provider response body, a credential or request content,
 * because it ends up in logs and problem answers.
 */
public final class ProviderFailure extends RuntimeException {

    public enum FailureClass {
        RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION, BAD_REQUEST, AUTHENTICATION, NOT_FOUND,
        UNSUPPORTED, INVALID_RESPONSE, CIRCUIT_OPEN,
        /** The caller's deadline ended the try (or left no time for it): never the provider's fault. */
        DEADLINE;

        /** Trying the same route again may succeed. */
        public boolean retryable() {
            return this == RATE_LIMITED || this == SERVER_ERROR || this == TIMEOUT || this == CONNECTION;
        }

        /** Another route may succeed; a rejected request would be rejected everywhere. */
        public boolean fallbackAllowed() {
            return this != BAD_REQUEST;
        }

        /** The lower-case name used on the wire and in logs, e.g. {@code rate_limited}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final FailureClass failureClass;
    private final Integer httpStatus;
    private final Duration retryAfter;

    private ProviderFailure(FailureClass failureClass, Integer httpStatus, Duration retryAfter, String reason) {
        super(message(failureClass, httpStatus, reason), null, false, false);
        this.failureClass = failureClass;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    private static String message(FailureClass c, Integer status, String reason) {
        StringBuilder sb = new StringBuilder("provider call failed: ").append(c.wireName());
        if (status != null) {
            sb.append(" (HTTP ").append(status).append(')');
        }
        if (reason != null) {
            sb.append(": ").append(reason);
        }
        return sb.toString();
    }

    /** @param reason a fixed phrase written by us; never provider or request text */
    public static ProviderFailure of(FailureClass failureClass, String reason) {
        return new ProviderFailure(failureClass, null, null, reason);
    }

    public static ProviderFailure of(FailureClass failureClass) {
        return new ProviderFailure(failureClass, null, null, null);
    }

    /** A 2xx answer whose body could not be read as the expected JSON. */
    public static ProviderFailure invalidResponse(int httpStatus) {
        return new ProviderFailure(FailureClass.INVALID_RESPONSE, httpStatus, null, "unreadable response body");
    }

    /**
     * Classifies a non-2xx answer. {@code Retry-After} (seconds or an HTTP date) and the
     * non-standard {@code retry-after-ms} some OpenAI-compatible servers send are honoured on 429 and 503.
     */
    public static ProviderFailure fromStatus(int status, HttpHeaders headers, Clock clock) {
        FailureClass c = classify(status);
        Duration retryAfter = null;
        if (status == 429 || status == 503) {
            retryAfter = retryAfter(headers, clock).orElse(null);
        }
        return new ProviderFailure(c, status, retryAfter, null);
    }

    static FailureClass classify(int status) {
        if (status == 429) {
            return FailureClass.RATE_LIMITED;
        }
        if (status >= 500) {
            return FailureClass.SERVER_ERROR;
        }
        return switch (status) {
            case 401, 403 -> FailureClass.AUTHENTICATION;
            // payment required: this account cannot be used, another provider may be
            case 402 -> FailureClass.AUTHENTICATION;
            case 404 -> FailureClass.NOT_FOUND;
            case 408 -> FailureClass.TIMEOUT;
            default -> status >= 400 ? FailureClass.BAD_REQUEST : FailureClass.INVALID_RESPONSE;
        };
    }

    /** Classifies a transport failure; the exception's own message is dropped (it may name hosts or paths). */
    public static ProviderFailure fromIo(IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return of(FailureClass.CONNECTION, "could not connect");
        }
        if (e instanceof HttpTimeoutException) {
            return of(FailureClass.TIMEOUT, "no answer within the timeout");
        }
        return of(FailureClass.CONNECTION, "connection failed");
    }

    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().trim()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").flatMap(v -> parseRetryAfter(v, clock));
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    public FailureClass failureClass() {
        return failureClass;
    }

    /** The provider's HTTP status, or {@code null} when no answer arrived. */
    public Integer httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return failureClass.retryable();
    }

    public boolean fallbackAllowed() {
        return failureClass.fallbackAllowed();
    }

    /** How long the provider asked us to wait, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
