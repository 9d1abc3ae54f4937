package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Until the start-up runners have finished (first-start bootstrap, starting credits, stranded holds),
 * every request, public or not, is answered 503 {@code starting} with Retry-After, and reaches no handler.
 */
class EdgeFilterReadinessTest {

    @Test
    void should_answer_starting_until_the_application_is_ready_then_pass_requests_on() throws Exception {
        EdgeFilter filter = new EdgeFilter(null, new Problems(JsonMapper.builder().build()),
                new ApiProperties(DataSize.ofMegabytes(1), DataSize.ofKilobytes(16), false));
        AtomicBoolean reached = new AtomicBoolean();

        MockHttpServletRequest early = new MockHttpServletRequest("GET", "/api/status");
        MockHttpServletResponse earlyResponse = new MockHttpServletResponse();
        filter.doFilter(early, earlyResponse, (rq, rs) -> reached.set(true));
        assertThat(reached).isFalse();
        assertThat(earlyResponse.getStatus()).isEqualTo(503);
        assertThat(earlyResponse.getContentType()).startsWith("application/problem+json");
        assertThat(earlyResponse.getHeader("Retry-After")).isEqualTo("1");
        assertThat(earlyResponse.getContentAsString()).contains("\"code\":\"starting\"", "\"category\":\"configuration\"");

        filter.ready();
        MockHttpServletResponse later = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/api/status"), later, (rq, rs) -> reached.set(true));
        assertThat(reached).isTrue();
        assertThat(later.getStatus()).isEqualTo(200);
    }
}
