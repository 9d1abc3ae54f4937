package io.aimp.gateway.providers;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP for the provider adapters: POSTs a body to the configured base URL and classifies
 * every way that can fail as a {@link ProviderFailure} (status, timeout, connection, unreadable answer).
 * One per configured provider; each adapter adds only its own authentication headers.
 */
public final class JsonHttp implements AutoCloseable {

    private final HttpClient http;
    private final ProviderSettings settings;
    private final Clock clock;
    private final JsonMapper json;

    public JsonHttp(ProviderSettings settings, Clock clock, JsonMapper json) {
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /**
     * POSTs {@code body} to {@code base_url + path} with {@code headers} (the provider's configured
     * headers are set last and win) and reads a 2xx answer as {@code responseType}.
     *
     * @throws ProviderFailure for a non-2xx status, a timeout (the whole exchange, body included), a
     *         connection failure or an answer that does not parse
     */
    public <T> T post(String path, Object body, Map<String, String> headers, Class<T> responseType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        headers.forEach(request::header);
        settings.headers().forEach(request::setHeader);
        HttpResponse<byte[]> response = send(request.build(), timeout);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw ProviderFailure.fromStatus(status, response.headers(), clock);
        }
        try {
            T parsed = json.readValue(response.body(), responseType);
            if (parsed == null) {
                throw ProviderFailure.invalidResponse(status);
            }
            return parsed;
        } catch (JacksonException e) {
            throw ProviderFailure.invalidResponse(status);
        }
    }

    /** The request timeout covers the wait for headers; the future's bounds the body as well. */
    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout) {
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw ProviderFailure.of(FailureClass.TIMEOUT, "no answer within the timeout");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw ProviderFailure.fromIo(io);
            }
            throw ProviderFailure.of(FailureClass.CONNECTION, "request failed");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderFailure.of(FailureClass.CONNECTION, "interrupted");
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
