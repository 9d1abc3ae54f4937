package io.aimp.gateway.providers.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ProviderSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** POSTs JSON to an OpenAI-compatible server and classifies every way that can fail. One per provider. */
final class OpenAiClient implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private final HttpClient http;
    private final String baseUrl;
    private final ProviderSettings settings;
    private final Clock clock;

    OpenAiClient(ProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.baseUrl = settings.baseUrl();
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    <T> T post(String path, Object body, Class<T> responseType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (settings.apiKey() != null) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        // configured headers win, e.g. a gateway in front of the provider that wants its own auth
        settings.headers().forEach(request::setHeader);
        HttpResponse<byte[]> response = send(request.build(), timeout);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw ProviderFailure.fromStatus(status, response.headers(), clock);
        }
        try {
            T parsed = JSON.readValue(response.body(), responseType);
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
