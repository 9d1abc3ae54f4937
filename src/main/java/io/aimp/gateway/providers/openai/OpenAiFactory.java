package io.aimp.gateway.providers.openai;

import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFactory;
import io.aimp.gateway.providers.ProviderSettings;
import org.springframework.stereotype.Component;

@Component
class OpenAiFactory implements ProviderFactory {

    @Override
    public String type() {
        return ProviderSettings.OPENAI;
    }

    @Override
    public Provider create(String name, ProviderSettings settings) {
        return new OpenAiProvider(name, settings);
    }
}
