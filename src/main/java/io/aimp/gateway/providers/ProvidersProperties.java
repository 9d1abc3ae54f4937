package io.aimp.gateway.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code aimp.providers.<name>}: the providers routes may name. Credentials come only from here
 * (usually {@code ${OPENAI_API_KEY:}} placeholders), never from clients or catalog files.
 * The built-in {@code local} provider exists whether or not it is listed.
 */
@ConfigurationProperties("aimp")
public record ProvidersProperties(Map<String, ProviderSettings> providers) {

    /** The name of the in-process provider that is always present. */
    public static final String BUILT_IN = "local";

    public ProvidersProperties {
        Map<String, ProviderSettings> checked = new LinkedHashMap<>();
        if (providers != null) {
            providers.forEach((name, settings) -> {
                if (settings == null) {
                    throw new IllegalArgumentException("aimp.providers." + name + " needs at least a type");
                }
                settings.validate(name);
                checked.put(name, settings);
            });
        }
        providers = Map.copyOf(checked);
    }
}
