package io.aimp.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The package wires itself from configuration: factories, registry and router as beans. */
class ProvidersWiringTest {

    @Configuration
    @ComponentScan("io.aimp.gateway.providers")
    @EnableConfigurationProperties({ProvidersProperties.class, RouterSettings.class})
    static class ProvidersOnly {
    }

    // the router reports its attempts and breakers to the gateway's meter registry
    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(ProvidersOnly.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void should_build_registry_and_router_from_properties() {
        runner.withPropertyValues(
                        "aimp.providers.openai.type=openai",
                        "aimp.providers.openai.base_url=https://api.openai.com/v1",
                        "aimp.providers.openai.api_key=",
                        "aimp.router.retry-after-cap=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ProviderRegistry.class).names()).containsExactlyInAnyOrder("openai", "local");
                    assertThat(context.getBean(RouterSettings.class).retryAfterCap()).isEqualTo(Duration.ofSeconds(5));
                    Routed<ChatResult> routed = context.getBean(Router.class).execute(
                            List.of(new Route("local", "extractive-summary", Duration.ofSeconds(30))),
                            (p, r) -> p.chat(ChatRequest.of(r.model(), List.of(ChatMessage.user("Only this."))), r.timeout()));
                    assertThat(routed.value().text()).isEqualTo("Only this.");
                });
    }

    @Test
    void should_refuse_to_start_with_a_message_naming_the_bad_setting() {
        runner.withPropertyValues("aimp.providers.openai.type=openai", "aimp.providers.openai.base_url=localhost:8000")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable t = context.getStartupFailure();
                    while (t.getCause() != null) {
                        t = t.getCause();
                    }
                    assertThat(t).hasMessageStartingWith("aimp.providers.openai.base_url");
                });
    }
}
