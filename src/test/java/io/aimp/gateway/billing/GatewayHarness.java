package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the billing HTTP tests share: a catalog directory with priced test models, a fake
 * OpenAI-compatible server whose usage varies per call, and a small client that creates isolated
 * workspaces (each with its own owner key and wallet) through the public API.
 */
final class GatewayHarness {

    static final String BOOTSTRAP_KEY = "aimp_sk_" + "B1ll1ngT3stK3y0123456789abcdefghijklmnopqrs".substring(0, 43);
    static final String OWNER_PASSWORD = "billing-test-password-123";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Path CATALOG = catalog();
    static final HttpServer FAKE = fakeOpenAi();

    private GatewayHarness() {
    }

    /** {@code paid-summary}: 0.37 per run, in process. {@code metered-chat}: per token, fake provider. */
    private static Path catalog() {
        try {
            Path dir = Files.createTempDirectory("aimp-billing-catalog");
            Files.writeString(dir.resolve("paid-summary.yaml"), """
                    slug: paid-summary
                    name: Paid summary
                    kind: text
                    description: Extractive summary at a fixed price per run.
                    visibility: public
                    modes:
                      execute:
                        input:
                          type: object
                          required: [text]
                          additionalProperties: false
                          properties:
                            text: {type: string, minLength: 1}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: local, model: extractive-summary}]
                        pricing: {per_run: 0.37}
                    text:
                      prompt: "{{input.text}}"
                    """);
            Files.writeString(dir.resolve("metered-chat.yaml"), """
                    slug: metered-chat
                    name: Metered chat
                    kind: text
                    description: Priced per token; the fake provider reports varying usage.
                    visibility: public
                    modes:
                      execute:
                        input:
                          type: object
                          required: [text]
                          additionalProperties: false
                          properties:
                            text: {type: string, minLength: 1}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: fake, model: gpt-test}]
                        pricing: {per_run: 0.01, per_1k_input_tokens: 1.5, per_1k_output_tokens: 2.5}
                        limits: {max_tokens: 100}
                    text:
                      prompt: "{{input.text}}"
                    """);
            Files.writeString(dir.resolve("broken-chat.yaml"), """
                    slug: broken-chat
                    name: Broken chat
                    kind: text
                    description: Its only provider refuses every request.
                    visibility: public
                    modes:
                      execute:
                        input:
                          type: object
                          required: [text]
                          properties:
                            text: {type: string, minLength: 1}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: broken, model: gpt-test}]
                        pricing: {per_run: 0.5}
                    text:
                      prompt: "{{input.text}}"
                    """);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Chat completions with usage: 1–10 prompt tokens (the test inputs are at least 40 characters, so
     * never more than the estimate) and 1–100 completion tokens (the release's max_tokens).
     */
    private static HttpServer fakeOpenAi() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/chat/completions", exchange -> {
                exchange.getRequestBody().readAllBytes();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int in = r.nextInt(1, 11);
                int out = r.nextInt(1, 101);
                byte[] body = """
                        {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-test",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                        .formatted(in, out, in + out).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.createContext("/broken/v1/chat/completions", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"error\":{\"message\":\"the request is invalid\",\"type\":\"invalid_request_error\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> properties(Path dataDir) {
        return Map.ofEntries(
                Map.entry("aimp.data-dir", dataDir.toString()),
                Map.entry("aimp.catalog-dir", CATALOG.toString()),
                Map.entry("aimp.bootstrap-api-key", BOOTSTRAP_KEY),
                Map.entry("aimp.bootstrap-owner-password", OWNER_PASSWORD),
                Map.entry("aimp.providers.fake.type", "openai"),
                Map.entry("aimp.providers.fake.base-url", "http://127.0.0.1:" + FAKE.getAddress().getPort() + "/v1"),
                Map.entry("aimp.providers.broken.type", "openai"),
                Map.entry("aimp.providers.broken.base-url", "http://127.0.0.1:" + FAKE.getAddress().getPort() + "/broken/v1"),
                Map.entry("aimp.sessions.login-attempts-per-minute-per-account", "1000"),
                Map.entry("aimp.sessions.login-attempts-per-minute-per-ip", "1000"),
                Map.entry("aimp.http.access-log", "false"),
                // the harness counts every credit of the owner's wallet: no first-start indexing run
                Map.entry("aimp.demo.index-docs", "false"));
    }

    record Response(int status, JsonNode json, HttpResponse<String> raw) {

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String describe() {
            return status + " " + raw.body();
        }
    }

    /** A client of one gateway on {@code port}. */
    static final class Client {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final int port;

        Client(int port) {
            this.port = port;
        }

        Response send(String method, String path, String apiKey, String bearer, Object body, Map<String, String> headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(120));
            if (apiKey != null) {
                b.header("X-API-Key", apiKey);
            }
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            headers.forEach(b::header);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json");
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
                return new Response(r.statusCode(), json, r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Response post(String key, String path, Object body) {
            return send("POST", path, key, null, body, Map.of());
        }

        Response put(String key, String path, Object body) {
            return send("PUT", path, key, null, body, Map.of());
        }

        Response get(String key, String path) {
            return send("GET", path, key, null, null, Map.of());
        }

        /** {@code POST /api/runs} on {@code model} with a text input. */
        Response run(String key, String model, String text, Map<String, String> headers) {
            return send("POST", "/api/runs", key, null, Map.of("model", model, "input", Map.of("text", text)), headers);
        }

        /** A new workspace with its own owner key, topped up to {@code credits}; returns the workspace's key and id. */
        Workspace workspace(String credits) {
            Response ws = post(BOOTSTRAP_KEY, "/api/workspaces", Map.of("name", "billing " + UUID.randomUUID()));
            assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
            String wsId = ws.json().get("id").asString();
            Response login = send("POST", "/api/auth/login", null, null,
                    Map.of("email", "owner@localhost", "password", OWNER_PASSWORD, "workspace_id", wsId), Map.of());
            assertThat(login.status()).as(login.describe()).isEqualTo(200);
            Response key = send("POST", "/api/keys", null, login.json().get("access_token").asString(),
                    Map.of("name", "owner", "role", "owner"), Map.of());
            assertThat(key.status()).as(key.describe()).isEqualTo(201);
            Workspace w = new Workspace(wsId, key.json().get("secret").asString(), key.json().path("key").path("id").asString());
            if (!credits.equals("0")) {
                Response top = post(w.key(), "/api/billing/wallet/credits", Map.of("amount", credits, "reason", "test"));
                assertThat(top.status()).as(top.describe()).isEqualTo(200);
            }
            return w;
        }
    }

    record Workspace(String id, String key, String keyId) {
    }
}
