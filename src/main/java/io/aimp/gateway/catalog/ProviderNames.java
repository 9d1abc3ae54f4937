package io.aimp.gateway.catalog;

import java.util.Set;

/**
 * The names of the configured providers (the keys of {@code aimp.providers}), which catalog routes may use. The
 * composition root makes it from the provider registry, so the catalog does not depend on the providers package.
 */
public record ProviderNames(Set<String> names) {

    public ProviderNames {
        names = Set.copyOf(names);
    }
}
