package io.aimp.gateway.providers.anthropic;

import io.aimp.gateway.providers.Capability;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.anthropic.AnthropicWire.MessagesResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The Anthropic Messages API ({@code POST {base_url}/v1/messages}, {@code base_url} e.g.
 * {@code https://api.anthropic.com}). Chat only: Anthropic offers no embeddings or images.
 */
public final class AnthropicProvider implements Provider, AutoCloseable {

    private final String name;
    private final AnthropicClient client;

    public AnthropicProvider(String name, ProviderSettings settings) {
        this(name, settings, Clock.systemUTC());
    }

    AnthropicProvider(String name, ProviderSettings settings, Clock clock) {
        this.name = name;
        this.client = new AnthropicClient(settings, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return ProviderSettings.ANTHROPIC;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT);
    }

    @Override
    public ChatResult chat(ChatRequest request, Duration timeout) {
        MessagesResponse response = client.post("/v1/messages", AnthropicMapper.toWire(request), MessagesResponse.class, timeout);
        return AnthropicMapper.fromWire(response, request);
    }

    @Override
    public void close() {
        client.close();
    }
}
