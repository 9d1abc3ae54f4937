package io.aimp.gateway.providers.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.ToolCall;
import io.aimp.gateway.providers.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AnthropicProviderTest {

    static final String KEY = "sk-ant-api03-test-SECRET";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String MESSAGE = """
            {
              "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
              "type": "message",
              "role": "assistant",
              "model": "claude-haiku-4-5-20251001",
              "content": [{"type": "text", "text": "Hi! My name is Claude."}],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 2095, "output_tokens": 503, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
            }
            """;

    static final String TOOL_USE = """
            {
              "id": "msg_01Aq9w938a90dw8q",
              "type": "message",
              "role": "assistant",
              "model": "claude-haiku-4-5-20251001",
              "content": [
                {"type": "text", "text": "I'll check the weather."},
                {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA"}}
              ],
              "stop_reason": "tool_use",
              "stop_sequence": null,
              "usage": {"input_tokens": 384, "output_tokens": 67}
            }
            """;

    WireMockServer server;
    AnthropicProvider provider;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        provider = new AnthropicProvider("anthropic",
                new ProviderSettings("anthropic", server.baseUrl(), KEY, Map.of(), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void should_return_text_and_reported_usage_with_system_prompt_at_top_level() {
        // given
        server.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson(MESSAGE)));
        ChatRequest request = ChatRequest.of("claude-haiku-4-5",
                List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hello, Claude")));

        // when
        ChatResult result = provider.chat(request, TIMEOUT);

        // then
        assertThat(result.text()).isEqualTo("Hi! My name is Claude.");
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.providerModel()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(result.usage().inputTokens()).isEqualTo(2095);
        assertThat(result.usage().outputTokens()).isEqualTo(503);
        assertThat(result.usage().estimated()).isFalse();
        server.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("x-api-key", equalTo(KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withRequestBody(equalToJson("""
                        {"model": "claude-haiku-4-5", "max_tokens": 1024, "system": "You are terse.",
                         "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello, Claude"}]}]}
                        """)));
    }

    @Test
    void should_estimate_usage_when_the_answer_has_no_usage_block() {
        // given
        server.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson("""
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                 "content": [{"type": "text", "text": "12345678"}], "stop_reason": "max_tokens"}
                """)));

        // when
        ChatResult result = provider.chat(ChatRequest.of("claude-haiku-4-5", List.of(ChatMessage.user("1234"))), TIMEOUT);

        // then
        assertThat(result.usage()).satisfies(u -> {
            assertThat(u.estimated()).isTrue();
            assertThat(u.inputTokens()).isEqualTo(1);
            assertThat(u.outputTokens()).isEqualTo(2);
        });
        assertThat(result.finishReason()).isEqualTo("length");
    }

    @Test
    void should_round_trip_tool_calls_as_tool_use_and_tool_result_blocks() {
        // given
        server.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson(TOOL_USE)));
        ToolSpec weather = new ToolSpec("get_weather", "Current weather", JSON.readTree("""
                {"type": "object", "properties": {"location": {"type": "string"}}}
                """));
        ChatRequest first = new ChatRequest("claude-haiku-4-5", List.of(ChatMessage.user("Weather in SF?")),
                null, 300, null, List.of(weather));

        // when
        ChatResult result = provider.chat(first, TIMEOUT);

        // then
        assertThat(result.finishReason()).isEqualTo("tool_calls");
        assertThat(result.text()).isEqualTo("I'll check the weather.");
        ToolCall call = result.toolCalls().getFirst();
        assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments().get("location").asString()).isEqualTo("San Francisco, CA");
        server.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
                {"max_tokens": 300, "tools": [{"name": "get_weather", "description": "Current weather",
                  "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}}}]}
                """, false, true)));

        // when: the call and its result go back
        server.resetRequests();
        provider.chat(new ChatRequest("claude-haiku-4-5", List.of(ChatMessage.user("Weather in SF?"),
                ChatMessage.assistant(result.text(), result.toolCalls()),
                ChatMessage.toolResult(call.id(), "15 C, fog")), null, null, null, List.of(weather)), TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
                {"messages": [
                  {"role": "user", "content": [{"type": "text", "text": "Weather in SF?"}]},
                  {"role": "assistant", "content": [
                    {"type": "text", "text": "I'll check the weather."},
                    {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA"}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 C, fog"}]}]}
                """, false, true)));
    }

    @Test
    void should_force_a_json_tool_and_return_its_input_as_text_when_a_response_schema_is_set() {
        // given
        server.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson("""
                {"id": "msg_2", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                 "content": [{"type": "tool_use", "id": "toolu_1", "name": "json_output", "input": {"label": "spam"}}],
                 "stop_reason": "tool_use", "usage": {"input_tokens": 50, "output_tokens": 9}}
                """)));
        ChatRequest request = new ChatRequest("claude-haiku-4-5", List.of(ChatMessage.user("Classify: WIN NOW")), null, null,
                JSON.readTree("{\"type\": \"object\", \"properties\": {\"label\": {\"type\": \"string\"}}}"), List.of());

        // when
        ChatResult result = provider.chat(request, TIMEOUT);

        // then
        assertThat(JSON.readTree(result.text()).get("label").asString()).isEqualTo("spam");
        assertThat(result.toolCalls()).isEmpty();
        assertThat(result.finishReason()).isEqualTo("stop");
        server.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
                {"tool_choice": {"type": "tool", "name": "json_output"}}
                """, false, true)));
    }

    @Test
    void should_let_configured_headers_override_the_default_version() {
        // given
        server.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson(MESSAGE)));
        AnthropicProvider custom = new AnthropicProvider("anthropic", new ProviderSettings("anthropic", server.baseUrl(), KEY,
                Map.of("anthropic-version", "2024-01-01", "anthropic-beta", "output-128k-2025-02-19"), null));

        // when
        custom.chat(ChatRequest.of("claude-haiku-4-5", List.of(ChatMessage.user("hi"))), TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("anthropic-version", equalTo("2024-01-01"))
                .withHeader("anthropic-beta", equalTo("output-128k-2025-02-19")));
    }
}
