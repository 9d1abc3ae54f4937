package io.aimp.gateway.providers;

import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP for the provider adapters: POSTs a body to the configured base URL and classifies
 * every way that can fail as a {@link ProviderFailure} (status, timeout, connection, unreadable answer).
 * One per configured provider; each adapter adds only its own authentication headers.
 */
public final class JsonHttp implements AutoCloseable {

    private final HttpTransport http;
    private final ProviderSettings settings;
    private final Clock clock;
    private final JsonMapper json;

    public JsonHttp(ProviderSettings settings, Clock clock, JsonMapper json) {
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        this.http = new Http1Client(URI.create(settings.baseUrl()), settings.connectTimeout());
    }

    /**
     * POSTs {@code body} to {@code base_url + path} with {@code headers} (the provider's configured
     * headers are set last and win) and reads a 2xx answer as {@code responseType}.
     *
     * @throws ProviderFailure for a non-2xx status, a timeout (the whole exchange, body included), a
     *         connection failure or an answer that does not parse
     */
    public <T> T post(String path, Object body, Map<String, String> headers, Class<T> responseType, Duration timeout) {
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.put("Content-Type", "application/json");
        fields.put("Accept", "application/json");
        fields.putAll(headers);
        fields.putAll(settings.headers());
        HttpTransport.Response response;
        try {
            response = http.post(path, List.copyOf(fields.entrySet()), json.writeValueAsBytes(body), timeout);
        } catch (TimeoutException e) {
            throw ProviderFailure.of(FailureClass.TIMEOUT, "no answer within the timeout");
        } catch (IOException e) {
            throw ProviderFailure.fromIo(e);
        }
        int status = response.status();
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

    @Override
    public void close() {
        http.close();
    }
}
