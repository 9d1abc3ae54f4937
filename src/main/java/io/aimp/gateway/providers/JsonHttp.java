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
        return send(path, "application/json", json.writeValueAsBytes(body), headers, responseType, timeout);
    }

    /** One part of a {@code multipart/form-data} body: a field ({@code filename} null) or a file. */
    public record Part(String name, String filename, String contentType, byte[] content) {
    }

    /**
     * POSTs {@code parts} as {@code multipart/form-data} (e.g. the OpenAI images edits API) and reads a 2xx JSON
     * answer as {@code responseType}; fails as {@link #post} does.
     */
    public <T> T postMultipart(String path, List<Part> parts, Map<String, String> headers, Class<T> responseType,
                               Duration timeout) {
        String boundary = "aimp-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.filename() != null) {
                head.append("; filename=\"").append(p.filename()).append('"');
            }
            head.append("\r\n");
            if (p.contentType() != null) {
                head.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            head.append("\r\n");
            body.writeBytes(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(p.content());
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return send(path, "multipart/form-data; boundary=" + boundary, body.toByteArray(), headers, responseType, timeout);
    }

    private <T> T send(String path, String contentType, byte[] bytes, Map<String, String> headers, Class<T> responseType,
                       Duration timeout) {
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.put("Content-Type", contentType);
        fields.put("Accept", "application/json");
        fields.putAll(headers);
        fields.putAll(settings.headers());
        HttpTransport.Response response;
        try {
            response = http.post(path, List.copyOf(fields.entrySet()), bytes, timeout);
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
