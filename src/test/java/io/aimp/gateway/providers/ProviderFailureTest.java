package io.aimp.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderFailureTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (a, b) -> true);

    @Test
    void should_classify_http_statuses() {
        // expect
        assertThat(ProviderFailure.fromStatus(429, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.RATE_LIMITED);
        assertThat(ProviderFailure.fromStatus(500, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(ProviderFailure.fromStatus(529, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.SERVER_ERROR);
        assertThat(ProviderFailure.fromStatus(400, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.BAD_REQUEST);
        assertThat(ProviderFailure.fromStatus(422, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.BAD_REQUEST);
        assertThat(ProviderFailure.fromStatus(401, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.AUTHENTICATION);
        assertThat(ProviderFailure.fromStatus(403, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.AUTHENTICATION);
        assertThat(ProviderFailure.fromStatus(404, NONE, CLOCK).failureClass()).isEqualTo(FailureClass.NOT_FOUND);
        assertThat(ProviderFailure.fromStatus(404, NONE, CLOCK).httpStatus()).isEqualTo(404);
    }

    @Test
    void should_classify_transport_failures() {
        // expect
        assertThat(ProviderFailure.fromIo(new HttpTimeoutException("request timed out")).failureClass()).isEqualTo(FailureClass.TIMEOUT);
        assertThat(ProviderFailure.fromIo(new ConnectException("Connection refused")).failureClass()).isEqualTo(FailureClass.CONNECTION);
        assertThat(ProviderFailure.fromIo(new java.io.IOException("reset")).failureClass()).isEqualTo(FailureClass.CONNECTION);
    }

    @Test
    void should_say_which_failures_are_retried_and_which_allow_fallback() {
        // expect
        assertThat(FailureClass.values()).filteredOn(FailureClass::retryable)
                .containsExactlyInAnyOrder(FailureClass.RATE_LIMITED, FailureClass.SERVER_ERROR, FailureClass.TIMEOUT, FailureClass.CONNECTION);
        assertThat(FailureClass.values()).filteredOn(c -> !c.fallbackAllowed()).containsExactly(FailureClass.BAD_REQUEST);
    }

    @Test
    void should_parse_retry_after_as_seconds_or_an_http_date() {
        // expect
        assertThat(ProviderFailure.fromStatus(429, headers("Retry-After", "7"), CLOCK).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ProviderFailure.fromStatus(429, headers("Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"), CLOCK).retryAfter())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(ProviderFailure.fromStatus(429, headers("Retry-After", "Wed, 21 Oct 2015 07:00:00 GMT"), CLOCK).retryAfter())
                .isEqualTo(Duration.ZERO);
        assertThat(ProviderFailure.fromStatus(429, headers("retry-after-ms", "1500"), CLOCK).retryAfter())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(ProviderFailure.fromStatus(429, headers("Retry-After", "soon"), CLOCK).retryAfter()).isNull();
        assertThat(ProviderFailure.fromStatus(429, NONE, CLOCK).retryAfter()).isNull();
    }

    @Test
    void should_carry_only_class_and_status_in_the_message() {
        // expect
        assertThat(ProviderFailure.fromStatus(503, NONE, CLOCK).getMessage()).isEqualTo("provider call failed: server_error (HTTP 503)");
        assertThat(ProviderFailure.fromStatus(503, NONE, CLOCK).getStackTrace()).isEmpty();
    }
}
