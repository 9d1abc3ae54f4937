package io.aimp.gateway.catalog;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class CatalogConfig {

    /**
     * The provider names catalog routes may use: {@code local} (in-process models) plus every key of
     * {@code aimp.providers}. The catalog deliberately does not depend on the providers package; this bean is the
     * only thing it needs from provider configuration.
     */
    @Bean
    Supplier<Set<String>> providerNames(Environment environment) {
        Set<String> names = new TreeSet<>(Set.of("local"));
        Binder.get(environment).bind("aimp.providers", Bindable.mapOf(String.class, Object.class))
                .ifBound(providers -> names.addAll(providers.keySet()));
        Set<String> result = Set.copyOf(names);
        return () -> result;
    }
}
