package io.aimp.gateway.providers;

/**
 * Builds the providers of one adapter type. Each adapter package contributes one as a bean, so
 * the registry needs no knowledge of (and no import from) the adapter packages.
 */
public interface ProviderFactory {

    /** The {@code type} this factory builds, e.g. {@code openai}. */
    String type();

    Provider create(String name, ProviderSettings settings);

    static ProviderFactory of(String type, java.util.function.BiFunction<String, ProviderSettings, Provider> create) {
        return new ProviderFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Provider create(String name, ProviderSettings settings) {
                return create.apply(name, settings);
            }
        };
    }
}
