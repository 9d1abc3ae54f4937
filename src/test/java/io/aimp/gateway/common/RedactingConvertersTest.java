package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Log redaction of the credentials that reach log lines inside URLs and paths. */
class RedactingConvertersTest {

    private static final String TOKEN = "studio_upload_01M98404QPiww7ZRD8pQSN8h.1796643606."
            + "51a78cfaaad6608553aa5fea556bdf4e4affae3b17ae9481e456f22c003d6b88";

    @Test
    void should_keep_only_the_upload_id_of_an_upload_token_in_a_logged_path() {
        String line = "Path contains \"../\" after call to StringUtils#cleanPath: [api/media/upload/../upload/" + TOKEN + "]";

        assertThat(RedactingConverters.redact(line))
                .isEqualTo("Path contains \"../\" after call to StringUtils#cleanPath: "
                        + "[api/media/upload/../upload/studio_upload_01M98404QPiww7ZRD8pQSN8h.[redacted]]");
    }

    @Test
    void should_redact_percent_encoded_and_altered_upload_tokens() {
        assertThat(RedactingConverters.redact("/api/media/upload/" + TOKEN.replace(".", "%2E") + "/x"))
                .isEqualTo("/api/media/upload/studio_upload_01M98404QPiww7ZRD8pQSN8h.[redacted]/x");
        assertThat(RedactingConverters.redact("PUT /api/media/upload/" + TOKEN + "0?t=1 HTTP/1.1"))
                .isEqualTo("PUT /api/media/upload/studio_upload_01M98404QPiww7ZRD8pQSN8h.[redacted]?t=1 HTTP/1.1");
    }

    @Test
    void should_leave_an_upload_id_alone() {
        String line = "cannot read upload studio_upload_01M98404QPiww7ZRD8pQSN8h.";

        assertThat(RedactingConverters.redact(line)).isEqualTo(line);
    }
}
