package io.aimp.gateway.providers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.anthropic.AnthropicProvider;
import io.aimp.gateway.providers.local.LocalProvider;
import io.aimp.gateway.providers.openai.OpenAiProvider;
import io.aimp.gateway.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router over real adapters and a fake HTTP server: what a release's route list does when providers misbehave. */
class RouterHttpTest {

    static final String OPENAI_KEY = "sk-proj-router-test-SECRET-1";
    static final String ANTHROPIC_KEY = "sk-ant-router-test-SECRET-2";
    static final String OPENAI_PATH = "/openai/v1/chat/completions";
    static final String ANTHROPIC_PATH = "/anthropic/v1/messages";

    static final String OPENAI_OK = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-mini-2024-07-18",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "from openai"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
            """;
    static final String ANTHROPIC_OK = """
            {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001",
             "content": [{"type": "text", "text": "from anthropic"}], "stop_reason": "end_turn",
             "usage": {"input_tokens": 6, "output_tokens": 3}}
            """;

    static final ChatRequest HELLO = ChatRequest.of("ignored", List.of(ChatMessage.user("hello")));
    static final BiFunction<Provider, Route, ChatResult> CHAT =
            (p, r) -> p.chat(new ChatRequest(r.model(), HELLO.messages(), null, null, null, List.of()), r.timeout());

    WireMockServer server;
    ProviderRegistry registry;
    final TestClock clock = new TestClock();
    final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        ProvidersProperties properties = new ProvidersProperties(Map.of(
                "openai", new ProviderSettings("openai", server.baseUrl() + "/openai/v1", OPENAI_KEY, Map.of(), null),
                "anthropic", new ProviderSettings("anthropic", server.baseUrl() + "/anthropic", ANTHROPIC_KEY, Map.of(), null)));
        registry = new ProviderRegistry(properties, List.of(
                ProviderFactory.of("openai", OpenAiProvider::new),
                ProviderFactory.of("anthropic", AnthropicProvider::new),
                ProviderFactory.of("local", LocalProvider::new)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    Router router(RouterSettings settings) {
        return new Router(registry::find, settings, clock, sleeps::add, () -> 0.5);
    }

    Router router() {
        return router(RouterSettings.defaults());
    }

    static List<Route> bothRoutes(Duration timeout) {
        return List.of(new Route("openai", "gpt-4o-mini", timeout), new Route("anthropic", "claude-haiku-4-5", timeout));
    }

    static List<Route> bothRoutes() {
        return bothRoutes(Duration.ofSeconds(5));
    }

    @Test
    void should_wait_for_retry_after_and_retry_when_rate_limited() {
        // given
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"error\": {}}"))
                .willSetStateTo("cooled"));
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).inScenario("rate").whenScenarioStateIs("cooled")
                .willReturn(okJson(OPENAI_OK)));

        // when
        Routed<ChatResult> routed = router().execute(bothRoutes(), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from openai");
        assertThat(routed.value().usage().units()).isEqualTo(7);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
        assertThat(routed.attempts()).extracting(Attempt::outcome, Attempt::failureClass, Attempt::httpStatus, Attempt::tryNumber)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("failed", FailureClass.RATE_LIMITED, 429, 1),
                        org.assertj.core.groups.Tuple.tuple("ok", null, null, 2));
        server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        server.verify(0, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
    }

    @Test
    void should_fall_back_to_second_route_when_first_returns_500() {
        // given
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(500).withBody("upstream exploded")));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(okJson(ANTHROPIC_OK)));

        // when
        Routed<ChatResult> routed = router().execute(bothRoutes(), CHAT);

        // then: first route tried once and retried twice, then the second answered
        assertThat(routed.value().text()).isEqualTo("from anthropic");
        assertThat(routed.route().provider()).isEqualTo("anthropic");
        assertThat(routed.attempts()).extracting(Attempt::provider, Attempt::outcome, Attempt::failureClass)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("openai", "failed", FailureClass.SERVER_ERROR),
                        org.assertj.core.groups.Tuple.tuple("openai", "failed", FailureClass.SERVER_ERROR),
                        org.assertj.core.groups.Tuple.tuple("openai", "failed", FailureClass.SERVER_ERROR),
                        org.assertj.core.groups.Tuple.tuple("anthropic", "ok", null));
        assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
        server.verify(3, postRequestedFor(urlEqualTo(OPENAI_PATH)));
    }

    @Test
    void should_fall_back_when_first_route_times_out() {
        // given
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(okJson(OPENAI_OK).withFixedDelay(5_000)));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(okJson(ANTHROPIC_OK)));
        // only the first route is slow; the second keeps a timeout a loaded machine cannot reach
        List<Route> routes = List.of(new Route("openai", "gpt-4o-mini", Duration.ofMillis(250)),
                new Route("anthropic", "claude-haiku-4-5", Duration.ofSeconds(10)));

        // when
        Routed<ChatResult> routed = router().execute(routes, CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from anthropic");
        assertThat(routed.attempts()).filteredOn(a -> a.provider().equals("openai"))
                .hasSize(3)
                .allSatisfy(a -> {
                    assertThat(a.failureClass()).isEqualTo(FailureClass.TIMEOUT);
                    assertThat(a.httpStatus()).isNull();
                    assertThat(a.latencyMs()).isLessThan(4_000); // the timeout, not the 5 s answer, ended it
                });
    }

    @Test
    void should_neither_retry_nor_fall_back_when_the_provider_rejects_the_request_with_400() {
        // given
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\": {\"message\": \"Invalid 'messages[0].content': hello\"}}")));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(okJson(ANTHROPIC_OK)));

        // when
        ProviderRejectedRequest e = catchThrowableOfType(ProviderRejectedRequest.class,
                () -> router().execute(bothRoutes(), CHAT));

        // then
        assertThat(e.category()).isEqualTo(ErrorCategory.PROVIDER);
        assertThat(e.code()).isEqualTo("provider_rejected_request");
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.attempts()).singleElement().satisfies(a -> {
            assertThat(a.failureClass()).isEqualTo(FailureClass.BAD_REQUEST);
            assertThat(a.httpStatus()).isEqualTo(400);
        });
        assertThat(e.detail()).doesNotContain("Invalid").doesNotContain("hello");
        server.verify(1, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        server.verify(0, postRequestedFor(urlEqualTo(ANTHROPIC_PATH)));
    }

    @Test
    void should_throw_one_all_routes_failed_listing_every_failure_without_keys_or_bodies() {
        // given: bodies that echo the keys, as some providers do
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(502)
                .withBody("bad gateway for key " + OPENAI_KEY)));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"type\": \"error\", \"error\": {\"type\": \"authentication_error\", \"message\": \"invalid x-api-key " + ANTHROPIC_KEY + "\"}}")));

        // when
        AllRoutesFailed e = catchThrowableOfType(AllRoutesFailed.class, () -> router().execute(bothRoutes(), CHAT));

        // then
        assertThat(e.category()).isEqualTo(ErrorCategory.PROVIDER);
        assertThat(e.code()).isEqualTo("all_routes_failed");
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.attempts()).extracting(Attempt::provider, Attempt::failureClass, Attempt::httpStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("openai", FailureClass.SERVER_ERROR, 502),
                        org.assertj.core.groups.Tuple.tuple("openai", FailureClass.SERVER_ERROR, 502),
                        org.assertj.core.groups.Tuple.tuple("openai", FailureClass.SERVER_ERROR, 502),
                        org.assertj.core.groups.Tuple.tuple("anthropic", FailureClass.AUTHENTICATION, 401));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> wire = (List<Map<String, Object>>) e.extensions().get("attempts");
        assertThat(wire).hasSize(4);
        assertThat(wire.getLast()).containsEntry("provider", "anthropic").containsEntry("model", "claude-haiku-4-5")
                .containsEntry("failure_class", "authentication").containsEntry("http_status", 401);
        String everything = e.getMessage() + e.extensions();
        assertThat(everything).doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY)
                .doesNotContain("SECRET").doesNotContain("bad gateway").doesNotContain("authentication_error");
        assertThat(e.detail()).contains("openai/gpt-4o-mini: server_error (HTTP 502)")
                .contains("anthropic/claude-haiku-4-5: authentication (HTTP 401)");
    }

    @Test
    void should_open_the_circuit_after_repeated_failures_and_close_it_after_a_half_open_success() {
        // given: a breaker that judges 4 calls, opens at 50 % failures for 30 s, and trials 1 call
        RouterSettings settings = new RouterSettings(0, Duration.ofMillis(100), Duration.ofSeconds(2),
                4, 4, 50f, Duration.ofSeconds(30), 1);
        Router router = router(settings);
        List<Route> routes = List.of(new Route("openai", "gpt-4o-mini", Duration.ofSeconds(5)));
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 4; i++) {
            catchThrowableOfType(AllRoutesFailed.class, () -> router.execute(routes, CHAT));
        }
        server.verify(4, postRequestedFor(urlEqualTo(OPENAI_PATH)));

        // when: the circuit is open
        AllRoutesFailed open = catchThrowableOfType(AllRoutesFailed.class, () -> router.execute(routes, CHAT));

        // then: nothing reached the server, and the caller is told when to come back
        server.verify(4, postRequestedFor(urlEqualTo(OPENAI_PATH)));
        assertThat(open.attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("skipped");
            assertThat(a.failureClass()).isEqualTo(FailureClass.CIRCUIT_OPEN);
        });
        assertThat(open.status()).isEqualTo(503);
        assertThat(open.retryAfterSeconds()).isEqualTo(30);

        // when: the open time passes and the provider has recovered
        clock.advance(Duration.ofSeconds(31));
        server.resetAll();
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(okJson(OPENAI_OK)));
        Routed<ChatResult> trial = router.execute(routes, CHAT);
        Routed<ChatResult> after = router.execute(routes, CHAT);

        // then: the half-open trial succeeded and closed the circuit
        assertThat(trial.value().text()).isEqualTo("from openai");
        assertThat(after.value().text()).isEqualTo("from openai");
        server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)));
    }

    @Test
    void should_fall_back_to_the_next_route_while_a_circuit_is_open() {
        // given
        RouterSettings settings = new RouterSettings(0, Duration.ofMillis(100), Duration.ofSeconds(2),
                2, 2, 50f, Duration.ofSeconds(30), 1);
        Router router = router(settings);
        server.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(500)));
        server.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(okJson(ANTHROPIC_OK)));
        router.execute(bothRoutes(), CHAT);
        router.execute(bothRoutes(), CHAT);

        // when
        Routed<ChatResult> routed = router.execute(bothRoutes(), CHAT);

        // then
        assertThat(routed.value().text()).isEqualTo("from anthropic");
        assertThat(routed.attempts().getFirst().failureClass()).isEqualTo(FailureClass.CIRCUIT_OPEN);
        server.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH)));
    }

    @Test
    void should_always_offer_the_built_in_local_provider() {
        // when
        Routed<ChatResult> routed = router().execute(
                List.of(new Route("local", "extractive-summary", Duration.ofSeconds(1))), CHAT);

        // then
        assertThat(registry.names()).containsExactlyInAnyOrder("openai", "anthropic", "local");
        assertThat(routed.value().text()).isEqualTo("hello");
    }
}
