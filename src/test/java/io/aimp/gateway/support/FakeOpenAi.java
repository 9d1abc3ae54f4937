package io.aimp.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A fake OpenAI-compatible provider on 127.0.0.1 for tests. Each base path behaves one way:
 * {@code /ok/v1} answers a chat completion with usage, {@code /fail500/v1} answers 500,
 * {@code /bad400/v1} answers 400, {@code /slow/v1} answers after two seconds, {@code /delay100/v1}
 * answers after 100 ms, {@code /json/v1} answers the JSON object
 * {@code {"answer":"yes","score":3}} and {@code /badjson/v1} the object {@code {"answer":1}}. {@code /echo/v1}
 * answers the last message's text; {@code /flaky/v1} answers 500 to a request containing {@code fail-me} while
 * {@link #failMarked(boolean)} is on (the default) and like {@code /ok/v1} otherwise. It counts calls per path.
 */
public final class FakeOpenAi implements AutoCloseable {

    public static final String ANSWER = "Fake provider answer.";
    private static final String COMPLETION = """
            {"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,"model":"fake-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile boolean failMarked = true;

    public FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl(String behaviour) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + behaviour + "/v1";
    }

    public int calls(String behaviour) {
        AtomicInteger n = calls.get(behaviour);
        return n == null ? 0 : n.get();
    }

    /** Whether {@code /flaky/v1} fails requests that contain {@code fail-me}. */
    public void failMarked(boolean on) {
        this.failMarked = on;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String behaviour = ex.getRequestURI().getPath().split("/")[1];
            calls.computeIfAbsent(behaviour, k -> new AtomicInteger()).incrementAndGet();
            switch (behaviour) {
                case "ok" -> send(ex, 200, COMPLETION.formatted(ANSWER));
                case "flaky" -> {
                    if (failMarked && request.contains("fail-me")) {
                        send(ex, 500, "{\"error\":{\"message\":\"marked to fail\"}}");
                    } else {
                        send(ex, 200, COMPLETION.formatted(ANSWER));
                    }
                }
                case "echo" -> {
                    JsonNode messages = JSON.readTree(request).path("messages");
                    String text = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asString("");
                    String quoted = JSON.writeValueAsString(text);
                    send(ex, 200, COMPLETION.formatted(quoted.substring(1, quoted.length() - 1)));
                }
                case "fail500" -> send(ex, 500, "{\"error\":{\"message\":\"upstream exploded\"}}");
                case "bad400" -> send(ex, 400, "{\"error\":{\"message\":\"bad request\"}}");
                case "slow" -> {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(ex, 200, COMPLETION.formatted("late"));
                }
                case "json" -> send(ex, 200, COMPLETION.formatted("{\\\"answer\\\":\\\"yes\\\",\\\"score\\\":3}"));
                case "badjson" -> send(ex, 200, COMPLETION.formatted("{\\\"answer\\\":1}"));
                case "delay100" -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(ex, 200, COMPLETION.formatted(ANSWER));
                }
                default -> send(ex, 404, "{}");
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
