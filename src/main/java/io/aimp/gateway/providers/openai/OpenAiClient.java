package io.aimp.gateway.providers.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aimp.gateway.providers.JsonHttp;
import io.aimp.gateway.providers.ProviderSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** POSTs JSON to an OpenAI-compatible server and classifies every way that can fail. One per provider. */
final class OpenAiClient implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private final JsonHttp http;
    private final ProviderSettings settings;

    OpenAiClient(ProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.http = new JsonHttp(settings, clock, JSON);
    }

    <T> T post(String path, Object body, Class<T> responseType, Duration timeout) {
        return http.post(path, body, auth(), responseType, timeout);
    }

    <T> T postMultipart(String path, java.util.List<JsonHttp.Part> parts, Class<T> responseType, Duration timeout) {
        return http.postMultipart(path, parts, auth(), responseType, timeout);
    }

    private Map<String, String> auth() {
        return settings.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + settings.apiKey());
    }

    @Override
    public void close() {
        http.close();
    }
}
