package io.aimp.gateway.providers.sdwebui;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aimp.gateway.providers.Capability;
import io.aimp.gateway.providers.ImageRequest;
import io.aimp.gateway.providers.ImageResult;
import io.aimp.gateway.providers.JsonHttp;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Stable Diffusion WebUI API (AUTOMATIC1111, Forge, SD.Next): {@code POST /sdapi/v1/txt2img} with
 * {@code base_url} at the server's root, e.g. {@code http://127.0.0.1:7860}. The route's model is sent as the
 * checkpoint to use ({@code override_settings.sd_model_checkpoint}); {@code n} images are one batch. The answer's
 * {@code images} are base64 PNGs. A configured {@code api_key} is sent as a bearer token (servers behind an
 * authenticating proxy).
 */
public final class SdWebUiProvider implements Provider, AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    /** The body of {@code /sdapi/v1/txt2img}; fields left {@code null} take the server's defaults. */
    record Txt2ImgRequest(String prompt, String negativePrompt, Integer batchSize, Integer nIter, Integer width,
                          Integer height, Long seed, Map<String, String> overrideSettings) {
    }

    record Txt2ImgResponse(List<String> images) {
    }

    private final String name;
    private final ProviderSettings settings;
    private final JsonHttp http;

    public SdWebUiProvider(String name, ProviderSettings settings) {
        this(name, settings, Clock.systemUTC());
    }

    SdWebUiProvider(String name, ProviderSettings settings, Clock clock) {
        this.name = name;
        this.settings = settings;
        this.http = new JsonHttp(settings, clock, JSON);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return ProviderSettings.SDWEBUI;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.IMAGES);
    }

    @Override
    public ImageResult generateImages(ImageRequest request, Duration timeout) {
        Map<String, String> checkpoint = request.model() == null || request.model().isBlank() ? null
                : Map.of("sd_model_checkpoint", request.model());
        Txt2ImgRequest body = new Txt2ImgRequest(request.prompt(), request.negativePrompt(), request.n(), 1,
                request.size() == null ? null : request.width(), request.size() == null ? null : request.height(),
                request.seed(), checkpoint);
        Map<String, String> headers = settings.apiKey() == null ? Map.of()
                : Map.of("Authorization", "Bearer " + settings.apiKey());
        Txt2ImgResponse response = http.post("/sdapi/v1/txt2img", body, headers, Txt2ImgResponse.class, timeout);
        if (response.images() == null || response.images().isEmpty()
                || response.images().stream().anyMatch(i -> i == null || i.isEmpty())) {
            throw ProviderFailure.of(ProviderFailure.FailureClass.INVALID_RESPONSE, "the answer carries no images");
        }
        // the WebUI may append extra images (e.g. a grid or control maps) after the batch: only the batch is the answer
        List<String> images = response.images().subList(0, Math.min(request.n(), response.images().size()));
        return new ImageResult(images, new Usage(0, 0, images.size(), false));
    }

    @Override
    public void close() {
        http.close();
    }
}
