package io.aimp.gateway.providers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The configured providers by name, built once at start-up; always includes the built-in {@code local}. */
@Component
public class ProviderRegistry implements AutoCloseable {

    private final Map<String, Provider> providers;

    public ProviderRegistry(ProvidersProperties properties, List<ProviderFactory> factories) {
        Map<String, ProviderFactory> byType = factories.stream()
                .collect(Collectors.toMap(ProviderFactory::type, Function.identity()));
        Map<String, ProviderSettings> settings = new LinkedHashMap<>(properties.providers());
        settings.putIfAbsent(ProvidersProperties.BUILT_IN, ProviderSettings.local());
        Map<String, Provider> built = new LinkedHashMap<>();
        settings.forEach((name, s) -> {
            ProviderFactory factory = byType.get(s.type());
            if (factory == null) {
                throw new IllegalStateException("no adapter for aimp.providers." + name + ".type " + s.type());
            }
            built.put(name, factory.create(name, s));
        });
        this.providers = Collections.unmodifiableMap(built);
    }

    public Optional<Provider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public Set<String> names() {
        return providers.keySet();
    }

    /** Releases the providers' HTTP clients at shutdown (after the web server has drained its requests). */
    @Override
    public void close() {
        for (Provider p : providers.values()) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down: nothing useful to do with a failure to release
                }
            }
        }
    }
}
