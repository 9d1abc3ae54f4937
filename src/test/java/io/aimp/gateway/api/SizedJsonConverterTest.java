package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.http.MockHttpOutputMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SizedJsonConverterTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final SizedJsonConverter converter = new SizedJsonConverter(json);

    @Test
    void should_give_a_small_body_its_length() throws Exception {
        MockHttpOutputMessage out = new MockHttpOutputMessage();

        converter.write(Map.of("id", "run_1", "tags", List.of("a", "b")), MediaType.APPLICATION_JSON, out);

        byte[] body = out.getBodyAsBytes();
        assertThat(out.getHeaders().getContentLength()).isEqualTo(body.length).isPositive();
        assertThat(json.readTree(body).path("tags").get(1).asString()).isEqualTo("b");
    }

    @Test
    void should_stream_a_body_past_the_buffer_whole_and_without_a_length() throws Exception {
        MockHttpOutputMessage out = new MockHttpOutputMessage();
        String big = "x".repeat(SizedJsonConverter.MAX_BUFFERED + 10_000);

        converter.write(Map.of("text", big, "after", 7), MediaType.APPLICATION_JSON, out);

        assertThat(out.getHeaders().getContentLength()).isEqualTo(-1);
        JsonNode back = json.readTree(out.getBodyAsBytes());
        assertThat(back.path("text").asString()).isEqualTo(big);
        assertThat(back.path("after").asInt()).isEqualTo(7);
    }
}
