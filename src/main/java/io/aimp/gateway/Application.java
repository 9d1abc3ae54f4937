package io.aimp.gateway;

import io.aimp.gateway.catalog.ProviderNames;
import io.aimp.gateway.providers.ProviderRegistry;
import java.time.Clock;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Composition root. Nothing imports it. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Application {

    public static void main(String[] args) {
        SpringApplication.run(Application.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The provider names catalog routes may use; the catalog does not depend on the providers package. */
    @Bean
    ProviderNames providerNames(ProviderRegistry registry) {
        Set<String> names = Set.copyOf(registry.names());
        return () -> names;
    }
}
