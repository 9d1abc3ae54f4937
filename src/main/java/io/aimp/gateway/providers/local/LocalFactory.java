package io.aimp.gateway.providers.local;

import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFactory;
import io.aimp.gateway.providers.ProviderSettings;
import org.springframework.stereotype.Component;

@Component
class LocalFactory implements ProviderFactory {

    @Override
    public String type() {
        return ProviderSettings.LOCAL;
    }

    @Override
    public Provider create(String name, ProviderSettings settings) {
        return new LocalProvider(name, settings);
    }
}
