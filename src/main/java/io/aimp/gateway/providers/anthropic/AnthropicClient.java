package io.aimp.gateway.providers.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aimp.gateway.providers.JsonHttp;
import io.aimp.gateway.providers.ProviderSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** POSTs JSON to the Anthropic Messages API and classifies every way that can fail. One per provider. */
final class AnthropicClient implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    static final String API_VERSION = "2023-06-01";

    private final JsonHttp http;
    private final ProviderSettings settings;

    AnthropicClient(ProviderSettings settings, Clock clock) {
        this.settings = settings;
        this.http = new JsonHttp(settings, clock, JSON);
    }

    <T> T post(String path, Object body, Class<T> responseType, Duration timeout) {
        Map<String, String> headers = settings.apiKey() == null ? Map.of("anthropic-version", API_VERSION)
                : Map.of("anthropic-version", API_VERSION, "x-api-key", settings.apiKey());
        return http.post(path, body, headers, responseType, timeout);
    }

    @Override
    public void close() {
        http.close();
    }
}
