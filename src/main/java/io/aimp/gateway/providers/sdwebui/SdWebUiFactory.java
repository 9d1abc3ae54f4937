package io.aimp.gateway.providers.sdwebui;

import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFactory;
import io.aimp.gateway.providers.ProviderSettings;
import org.springframework.stereotype.Component;

@Component
class SdWebUiFactory implements ProviderFactory {

    @Override
    public String type() {
        return ProviderSettings.SDWEBUI;
    }

    @Override
    public Provider create(String name, ProviderSettings settings) {
        return new SdWebUiProvider(name, settings);
    }
}
