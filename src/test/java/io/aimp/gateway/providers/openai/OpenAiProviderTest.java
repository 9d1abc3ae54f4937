package io.aimp.gateway.providers.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.ModerationRequest;
import io.aimp.gateway.providers.ModerationResult;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
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

class OpenAiProviderTest {

    static final String KEY = "sk-test-0123456789abcdefSECRET";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String CHAT_COMPLETION = """
            {
              "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
              "object": "chat.completion",
              "created": 1741569952,
              "model": "gpt-4o-mini-2024-07-18",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Hello! How can I assist you today?",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 10,
                "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}
              },
              "service_tier": "default"
            }
            """;

    static final String TOOL_CALL_COMPLETION = """
            {
              "id": "chatcmpl-abc123",
              "object": "chat.completion",
              "created": 1699896916,
              "model": "gpt-4o-mini",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": null,
                    "tool_calls": [
                      {
                        "id": "call_abc123",
                        "type": "function",
                        "function": {"name": "get_current_weather", "arguments": "{\\n\\"location\\": \\"Boston, MA\\"\\n}"}
                      }
                    ]
                  },
                  "logprobs": null,
                  "finish_reason": "tool_calls"
                }
              ],
              "usage": {"prompt_tokens": 82, "completion_tokens": 17, "total_tokens": 99}
            }
            """;

    WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    OpenAiProvider provider(String apiKey) {
        return new OpenAiProvider("openai", new ProviderSettings("openai", server.baseUrl() + "/v1", apiKey,
                Map.of("OpenAI-Organization", "org-test"), Duration.ofSeconds(2)));
    }

    static ChatRequest hello() {
        return ChatRequest.of("gpt-4o-mini", List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello!")));
    }

    @Test
    void should_return_text_and_reported_usage_when_chat_succeeds() {
        // given
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(CHAT_COMPLETION)));

        // when
        ChatResult result = provider(KEY).chat(hello(), TIMEOUT);

        // then
        assertThat(result.text()).isEqualTo("Hello! How can I assist you today?");
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.providerModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(result.usage().inputTokens()).isEqualTo(19);
        assertThat(result.usage().outputTokens()).isEqualTo(10);
        assertThat(result.usage().units()).isEqualTo(29);
        assertThat(result.usage().estimated()).isFalse();
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("OpenAI-Organization", equalTo("org-test"))
                .withRequestBody(equalToJson("""
                        {"model": "gpt-4o-mini",
                         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello!"}]}
                        """)));
    }

    @Test
    void should_send_no_authorization_header_when_no_key_is_configured() {
        // given
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(CHAT_COMPLETION)));

        // when
        provider("  ").chat(hello(), TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", absent()));
    }

    @Test
    void should_estimate_usage_when_the_answer_has_no_usage_block() {
        // given: a local server that reports no usage
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id": "x", "object": "chat.completion", "model": "llama3",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi there, friend."}, "finish_reason": "stop"}]}
                """)));

        // when
        ChatResult result = provider(null).chat(hello(), TIMEOUT);

        // then: "Be brief." + "Hello!" = 15 chars in, 17 chars out, 4 chars per token rounded up
        assertThat(result.usage().estimated()).isTrue();
        assertThat(result.usage().inputTokens()).isEqualTo(4);
        assertThat(result.usage().outputTokens()).isEqualTo(5);
    }

    @Test
    void should_round_trip_tool_calls() {
        // given
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(TOOL_CALL_COMPLETION)));
        ToolSpec weather = new ToolSpec("get_current_weather", "Current weather for a city",
                JSON.readTree("""
                        {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}
                        """));
        ChatRequest first = new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("Weather in Boston?")),
                0.2, 200, null, List.of(weather));

        // when
        ChatResult result = provider(KEY).chat(first, TIMEOUT);

        // then
        assertThat(result.finishReason()).isEqualTo("tool_calls");
        assertThat(result.text()).isEmpty();
        assertThat(result.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_abc123");
            assertThat(call.name()).isEqualTo("get_current_weather");
            assertThat(call.arguments().get("location").asString()).isEqualTo("Boston, MA");
        });
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 200,
                 "messages": [{"role": "user", "content": "Weather in Boston?"}],
                 "tools": [{"type": "function", "function": {"name": "get_current_weather",
                   "description": "Current weather for a city",
                   "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}]}
                """)));

        // when: the tool result goes back
        server.resetRequests();
        ToolCall call = result.toolCalls().getFirst();
        ChatRequest second = new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("Weather in Boston?"),
                ChatMessage.assistant(null, List.of(call)), ChatMessage.toolResult(call.id(), "22 C, sunny")),
                null, null, null, List.of(weather));
        provider(KEY).chat(second, TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"messages": [
                  {"role": "user", "content": "Weather in Boston?"},
                  {"role": "assistant", "tool_calls": [{"id": "call_abc123", "type": "function",
                     "function": {"name": "get_current_weather", "arguments": "{\\"location\\":\\"Boston, MA\\"}"}}]},
                  {"role": "tool", "content": "22 C, sunny", "tool_call_id": "call_abc123"}]}
                """, false, true)));
    }

    @Test
    void should_ask_for_json_schema_output_when_a_response_schema_is_set() {
        // given
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(CHAT_COMPLETION)));
        ChatRequest request = new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("Classify")), null, null,
                JSON.readTree("{\"type\": \"object\"}"), List.of());

        // when
        provider(KEY).chat(request, TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"response_format": {"type": "json_schema", "json_schema": {"name": "output", "schema": {"type": "object"}}}}
                """, false, true)));
    }

    @Test
    void should_return_vectors_in_input_order_when_embedding() {
        // given: the server answers out of order
        server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(okJson("""
                {"object": "list", "model": "text-embedding-3-small",
                 "data": [{"object": "embedding", "index": 1, "embedding": [0.5, 0.25]},
                          {"object": "embedding", "index": 0, "embedding": [0.125, -1.0]}],
                 "usage": {"prompt_tokens": 8, "total_tokens": 8}}
                """)));

        // when
        EmbeddingResult result = provider(KEY).embed(new EmbeddingRequest("text-embedding-3-small", List.of("a", "b")), TIMEOUT);

        // then
        assertThat(result.vectors().get(0)).containsExactly(0.125f, -1.0f);
        assertThat(result.vectors().get(1)).containsExactly(0.5f, 0.25f);
        assertThat(result.usage().inputTokens()).isEqualTo(8);
        assertThat(result.usage().estimated()).isFalse();
    }

    @Test
    void should_classify_401_as_authentication_without_leaking_key_or_body() {
        // given: the body echoes the key, as some servers do
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"message\": \"Incorrect API key provided: " + KEY + "\"}}")));

        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class, () -> provider(KEY).chat(hello(), TIMEOUT));

        // then
        assertThat(failure.failureClass()).isEqualTo(FailureClass.AUTHENTICATION);
        assertThat(failure.httpStatus()).isEqualTo(401);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.fallbackAllowed()).isTrue();
        assertThat(failure.getMessage()).doesNotContain(KEY).doesNotContain("Incorrect").doesNotContain("SECRET");
    }

    @Test
    void should_classify_unparsable_body_as_invalid_response() {
        // given
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("<html>gateway</html>")));

        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class, () -> provider(KEY).chat(hello(), TIMEOUT));

        // then
        assertThat(failure.failureClass()).isEqualTo(FailureClass.INVALID_RESPONSE);
        assertThat(failure.getMessage()).doesNotContain("html");
    }

    @Test
    void should_classify_refused_connection_as_connection() {
        // given: nothing listens any more
        OpenAiProvider provider = provider(KEY);
        server.stop();

        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class, () -> provider.chat(hello(), TIMEOUT));

        // then
        assertThat(failure.failureClass()).isEqualTo(FailureClass.CONNECTION);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).doesNotContain("127.0.0.1");
    }

    @Test
    void should_read_each_verdict_of_a_moderation_with_its_flagged_category_names() {
        // given: the OpenAI moderations answer, one result per input in order
        server.stubFor(post(urlEqualTo("/v1/moderations")).willReturn(okJson("""
                {"id": "modr-1", "model": "omni-moderation-latest", "results": [
                  {"flagged": true, "categories": {"harassment": false, "violence": true, "violence/graphic": true},
                   "category_scores": {"harassment": 0.01, "violence": 0.97, "violence/graphic": 0.91}},
                  {"flagged": false, "categories": {"harassment": false, "violence": false},
                   "category_scores": {"harassment": 0.0, "violence": 0.02}}]}
                """)));

        // when
        ModerationResult result = provider(KEY).moderate(
                new ModerationRequest("omni-moderation-latest", List.of("gore", "blurry")), TIMEOUT);

        // then
        server.verify(postRequestedFor(urlEqualTo("/v1/moderations")).withRequestBody(equalToJson("""
                {"model": "omni-moderation-latest", "input": ["gore", "blurry"]}""")));
        assertThat(result.verdicts()).hasSize(2);
        assertThat(result.verdicts().get(0).flagged()).isTrue();
        assertThat(result.verdicts().get(0).flaggedCategories()).containsExactly("violence", "violence/graphic");
        assertThat(result.verdicts().get(0).categoryScores()).containsEntry("violence", 0.97);
        assertThat(result.verdicts().get(1).flagged()).isFalse();
        assertThat(result.verdicts().get(1).flaggedCategories()).isEmpty();
    }

    @Test
    void should_refuse_a_moderation_answer_without_a_verdict_as_invalid() {
        // given: a result that does not say whether the text was flagged
        server.stubFor(post(urlEqualTo("/v1/moderations")).willReturn(okJson("""
                {"results": [{"categories": {"violence": true}}]}""")));

        // when
        ProviderFailure failure = catchThrowableOfType(ProviderFailure.class, () -> provider(KEY).moderate(
                new ModerationRequest("omni-moderation-latest", List.of("gore")), TIMEOUT));

        // then: a check fails closed
        assertThat(failure.failureClass()).isEqualTo(FailureClass.INVALID_RESPONSE);
    }
}
