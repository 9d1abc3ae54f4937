package io.aimp.gateway.catalog;

import java.util.Set;

/**
 * The names of the providers this gateway has configured: the only ones a catalog route may name. The
 * composition root supplies it from the provider registry, so the catalog does not depend on providers.
 */
@FunctionalInterface
public interface ProviderNames {

    Set<String> names();
}
