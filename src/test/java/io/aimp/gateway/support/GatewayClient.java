package io.aimp.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests against the running gateway on 127.0.0.1. Immutable: {@link #withKey}
 * and friends return a copy that sends one more header. Bodies given as objects are written as JSON.
 */
public final class GatewayClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    /** A bound on a hung gateway, with room for a loaded machine (a first run may load a model). */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http;
    private final URI base;
    private final Map<String, String> headers;
    /** Receives every exchange this client makes (see {@link #recording}); never {@code null}. */
    private final Consumer<Exchange> recorder;

    public GatewayClient(int port) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(),
                URI.create("http://127.0.0.1:" + port), Map.of());
    }

    private GatewayClient(HttpClient http, URI base, Map<String, String> headers) {
        this(http, base, headers, exchange -> { });
    }

    private GatewayClient(HttpClient http, URI base, Map<String, String> headers, Consumer<Exchange> recorder) {
        this.http = http;
        this.base = base;
        this.headers = headers;
        this.recorder = recorder;
    }

    /**
     * A copy that hands every request it sends, with its answer, to {@code recorder} (the copies made from it
     * record too): how the OpenAPI contract tests check real traffic against the document.
     */
    public GatewayClient recording(Consumer<Exchange> recorder) {
        return new GatewayClient(http, base, headers, recorder);
    }

    public int port() {
        return base.getPort();
    }

    /** The value of a header this client adds to every request, or {@code null}. */
    public String headerValue(String name) {
        return headers.get(name);
    }

    public GatewayClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GatewayClient(http, base, Map.copyOf(more), recorder);
    }

    public GatewayClient withKey(String apiKey) {
        return withHeader("X-API-Key", apiKey);
    }

    public GatewayClient withBearer(String accessToken) {
        return withHeader("Authorization", "Bearer " + accessToken);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, Object body) {
        return json("POST", path, body);
    }

    public Response patch(String path, Object body) {
        return json("PATCH", path, body);
    }

    /** Sends {@code body} as JSON; a {@code String} is sent as it is (it may be deliberately broken JSON). */
    public Response json(String method, String path, Object body) {
        byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        return send(method, path, "application/json", bytes);
    }

    /** Sends exactly these bytes with this content type ({@code null} for none). */
    public Response send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Response response = new Response(r.statusCode(), r.headers().map(), r.body());
            Map<String, String> sent = new LinkedHashMap<>(headers);
            if (contentType != null) {
                sent.put("Content-Type", contentType);
            }
            recorder.accept(new Exchange(method, path, Map.copyOf(sent), body, response));
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One request as sent (path with its query, headers this client added, body or {@code null}) and its answer. */
    public record Exchange(String method, String path, Map<String, String> headers, byte[] body, Response response) {
    }

    /** An answer: status, headers (names in lower case) and the raw body. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {

        public Response {
            Map<String, List<String>> lower = new LinkedHashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
            headers = Map.copyOf(lower);
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        public String contentType() {
            return header("content-type");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** A string member of the JSON body, or {@code null}. */
        public String get(String field) {
            JsonNode n = json().path(field);
            return n.isMissingNode() || n.isNull() ? null : n.asString();
        }

        /** Status line, headers and body, for assertion messages and leak checks. */
        public String describe() {
            StringBuilder sb = new StringBuilder().append(status).append('\n');
            headers.forEach((k, v) -> sb.append(k).append(": ").append(String.join(", ", v)).append('\n'));
            return sb.append('\n').append(text()).toString();
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
