package io.aimp.gateway.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake OpenAI-compatible provider whose answers are computed from each request by the test
 * ({@link Behaviour}), so its usage can be honest (never more output than the {@code max_tokens} it was
 * sent) or deliberately not. Each base path {@code /<name>/v1} has its own behaviour; every request
 * body is recorded, and every answer it actually produced (not the ones it delayed past the caller's
 * patience) is kept as {@link Answered} so a test can price the work done.
 */
final class HonestProvider implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What to answer, after how long; {@code counted} false for answers the gateway will have given up on. */
    record Reply(long delayMs, int status, String body, long inputTokens, long outputTokens, boolean counted) {

        static Reply ok(String body, long in, long out) {
            return new Reply(0, 200, body, in, out, true);
        }
    }

    /** The answer to one request; {@code call} counts from 0 per base path. */
    @FunctionalInterface
    interface Behaviour {
        Reply reply(JsonNode request, int call);
    }

    /** A successful answer the provider produced: the work a run must pay for. */
    record Answered(String name, String request, long inputTokens, long outputTokens) {
    }

    private final HttpServer server;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> requests = new ConcurrentHashMap<>();
    final List<Answered> answered = new CopyOnWriteArrayList<>();

    HonestProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        // shared by the SQLite and PostgreSQL variants of a test class: it stops with the test JVM
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    String baseUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/v1";
    }

    /** Sets the behaviour of {@code name} and forgets what it received. */
    void on(String name, Behaviour behaviour) {
        requests.put(name, new CopyOnWriteArrayList<>());
        behaviours.put(name, behaviour);
    }

    List<JsonNode> requests(String name) {
        return List.copyOf(requests.getOrDefault(name, List.of()));
    }

    /** The {@code max_tokens} each chat request to {@code name} carried ({@code -1}: none). */
    List<Integer> sentCaps(String name) {
        return requests(name).stream().map(r -> r.path("max_tokens").asInt(-1)).toList();
    }

    /** Honest input usage: fewer tokens than the request's bytes (each token covers at least one byte). */
    static long honestInput(JsonNode request) {
        return Math.max(1, request.path("messages").toString().getBytes(StandardCharsets.UTF_8).length / 4);
    }

    static String chat(String content, long in, long out) {
        return "{\"id\":\"chatcmpl-h\",\"object\":\"chat.completion\",\"model\":\"honest\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(content) + "},"
                + "\"finish_reason\":\"stop\"}]," + usage(in, out) + "}";
    }

    static String toolCall(String tool, long in, long out) {
        return "{\"id\":\"chatcmpl-h\",\"object\":\"chat.completion\",\"model\":\"honest\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"" + tool + "\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]," + usage(in, out) + "}";
    }

    static String embedding(long tokens) {
        return "{\"object\":\"list\",\"model\":\"honest-embed\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.1,0.2,0.3]}],\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}}";
    }

    private static String usage(long in, long out) {
        return "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String name = ex.getRequestURI().getPath().split("/")[1];
            Behaviour b = behaviours.get(name);
            if (b == null) {
                send(ex, 404, "{}");
                return;
            }
            JsonNode request = JSON.readTree(body);
            List<JsonNode> seen = requests.get(name);
            int call;
            synchronized (seen) {
                call = seen.size();
                seen.add(request);
            }
            Reply r = b.reply(request, call);
            if (r.delayMs() > 0) {
                try {
                    Thread.sleep(r.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (r.status() == 200 && r.counted()) {
                answered.add(new Answered(name, request.toString(), r.inputTokens(), r.outputTokens()));
            }
            send(ex, r.status(), r.body());
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
