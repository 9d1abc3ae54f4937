package io.aimp.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake OpenAI-compatible chat provider that answers from a script, turn by turn, and records what it
 * was sent. Each base path {@code /<name>/v1} has its own script; the last answer of a script repeats
 * once the script is used up (a provider that never stops calling tools is a one-line script).
 */
public final class ScriptedOpenAi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USAGE = "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d}";

    private final HttpServer server;
    private final Map<String, Deque<String>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> requests = new ConcurrentHashMap<>();

    public ScriptedOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/v1";
    }

    /** Replaces the script of {@code name} and forgets its recorded requests. */
    public void script(String name, String... answers) {
        scripts.put(name, new ConcurrentLinkedDeque<>(List.of(answers)));
        requests.put(name, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    /** The request bodies {@code name} received, in order. */
    public List<JsonNode> requests(String name) {
        return List.copyOf(requests.getOrDefault(name, List.of()));
    }

    /** A final answer with the given usage. */
    public static String text(String content, int in, int out) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"model\":\"scripted\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(content) + "},"
                + "\"finish_reason\":\"stop\"}]," + USAGE.formatted(in, out, in + out) + "}";
    }

    /** A turn that calls one tool with the given JSON arguments. */
    public static String toolCall(String id, String tool, String argumentsJson, int in, int out) {
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"model\":\"scripted\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"" + tool + "\",\"arguments\":" + JSON.writeValueAsString(argumentsJson) + "}}]},"
                + "\"finish_reason\":\"tool_calls\"}]," + USAGE.formatted(in, out, in + out) + "}";
    }

    /** A turn that calls {@code tool} {@code count} times at once (ids {@code call_1}...), each with the same arguments. */
    public static String toolCalls(String tool, String argumentsJson, int count, int in, int out) {
        StringBuilder calls = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            calls.append(i > 1 ? "," : "").append("{\"id\":\"call_").append(i).append("\",\"type\":\"function\",")
                    .append("\"function\":{\"name\":\"").append(tool).append("\",\"arguments\":")
                    .append(JSON.writeValueAsString(argumentsJson)).append("}}");
        }
        return "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"model\":\"scripted\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + calls + "]},"
                + "\"finish_reason\":\"tool_calls\"}]," + USAGE.formatted(in, out, in + out) + "}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String name = ex.getRequestURI().getPath().split("/")[1];
            Deque<String> script = scripts.get(name);
            if (script == null) {
                send(ex, 404, "{}");
                return;
            }
            requests.get(name).add(JSON.readTree(body));
            String answer = script.size() > 1 ? script.pollFirst() : script.peekFirst();
            send(ex, 200, answer);
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
