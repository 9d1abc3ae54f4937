package io.aimp.gateway.providers.openai;

import io.aimp.gateway.providers.Capability;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.ImageEditRequest;
import io.aimp.gateway.providers.ImageRequest;
import io.aimp.gateway.providers.JsonHttp;
import io.aimp.gateway.providers.ImageResult;
import io.aimp.gateway.providers.ModerationRequest;
import io.aimp.gateway.providers.ModerationResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.openai.OpenAiWire.ChatCompletionResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.EmbeddingsRequest;
import io.aimp.gateway.providers.openai.OpenAiWire.EmbeddingsResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.ImagesRequest;
import io.aimp.gateway.providers.openai.OpenAiWire.ImagesResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.ModerationsRequest;
import io.aimp.gateway.providers.openai.OpenAiWire.ModerationsResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, Ollama, LM Studio, llama.cpp, Groq, Together,
 * OpenRouter, Mistral ...): {@code base_url} points at the API root, e.g. {@code https://api.openai.com/v1}.
 * The {@code Authorization} header is sent only when an {@code api_key} is configured.
 */
public final class OpenAiProvider implements Provider, AutoCloseable {

    private static final Set<Capability> CAPABILITIES =
            Set.copyOf(EnumSet.of(Capability.CHAT, Capability.EMBEDDINGS, Capability.IMAGES, Capability.MODERATION));

    private final String name;
    private final OpenAiClient client;

    public OpenAiProvider(String name, ProviderSettings settings) {
        this(name, settings, Clock.systemUTC());
    }

    OpenAiProvider(String name, ProviderSettings settings, Clock clock) {
        this.name = name;
        this.client = new OpenAiClient(settings, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return ProviderSettings.OPENAI;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChatResult chat(ChatRequest request, Duration timeout) {
        ChatCompletionResponse response = client.post("/chat/completions", OpenAiMapper.toWire(request),
                ChatCompletionResponse.class, timeout);
        return OpenAiMapper.fromWire(response, request);
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request, Duration timeout) {
        if (request.hasImages()) {
            throw ProviderFailure.of(ProviderFailure.FailureClass.UNSUPPORTED,
                    "the OpenAI embeddings API embeds texts, not images");
        }
        EmbeddingsResponse response = client.post("/embeddings", new EmbeddingsRequest(request.model(), request.texts()),
                EmbeddingsResponse.class, timeout);
        return OpenAiMapper.fromWire(response, request.texts());
    }

    @Override
    public ImageResult generateImages(ImageRequest request, Duration timeout) {
        ImagesResponse response = client.post("/images/generations",
                new ImagesRequest(request.model(), request.prompt(), request.n(), request.size(), request.quality(),
                        request.style(), null),
                ImagesResponse.class, timeout);
        return OpenAiMapper.fromWire(response);
    }

    /** {@code POST /images/edits} as multipart: the image (and mask) as files, the rest as fields. */
    @Override
    public ImageResult editImages(ImageEditRequest request, Duration timeout) {
        java.util.List<JsonHttp.Part> parts = new java.util.ArrayList<>();
        parts.add(field("model", request.model()));
        parts.add(field("prompt", request.prompt()));
        parts.add(field("n", Integer.toString(request.n())));
        if (request.size() != null) {
            parts.add(field("size", request.size()));
        }
        parts.add(new JsonHttp.Part("image", "image" + extension(request.imageType()), request.imageType(), request.image()));
        if (request.mask() != null) {
            parts.add(new JsonHttp.Part("mask", "mask.png", "image/png", request.mask()));
        }
        return OpenAiMapper.fromWire(client.postMultipart("/images/edits", parts, ImagesResponse.class, timeout));
    }

    private static JsonHttp.Part field(String name, String value) {
        return new JsonHttp.Part(name, null, null, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String extension(String contentType) {
        return switch (contentType == null ? "" : contentType) {
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            default -> ".png";
        };
    }

    @Override
    public ModerationResult moderate(ModerationRequest request, Duration timeout) {
        ModerationsResponse response = client.post("/moderations", new ModerationsRequest(request.model(), request.texts()),
                ModerationsResponse.class, timeout);
        return OpenAiMapper.fromWire(response, request.texts().size());
    }

    @Override
    public void close() {
        client.close();
    }
}
