package io.aimp.gateway.providers.anthropic;

import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFactory;
import io.aimp.gateway.providers.ProviderSettings;
import org.springframework.stereotype.Component;

@Component
class AnthropicFactory implements ProviderFactory {

    @Override
    public String type() {
        return ProviderSettings.ANTHROPIC;
    }

    @Override
    public Provider create(String name, ProviderSettings settings) {
        return new AnthropicProvider(name, settings);
    }
}
