package io.aimp.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aimp.gateway.providers.anthropic.AnthropicProvider;
import io.aimp.gateway.providers.local.LocalProvider;
import io.aimp.gateway.providers.openai.OpenAiProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ProvidersPropertiesTest {

    static ProvidersProperties bind(Map<String, String> flat) {
        Binder binder = new Binder(new MapConfigurationPropertySource(flat));
        return binder.bindOrCreate("aimp", Bindable.of(ProvidersProperties.class));
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static ProviderRegistry registry(ProvidersProperties properties) {
        return new ProviderRegistry(properties, List.of(
                ProviderFactory.of("openai", OpenAiProvider::new),
                ProviderFactory.of("anthropic", AnthropicProvider::new),
                ProviderFactory.of("local", LocalProvider::new)));
    }

    @Test
    void should_bind_the_documented_snake_case_shape() {
        // when
        ProvidersProperties properties = bind(Map.of(
                "aimp.providers.openai.type", "openai",
                "aimp.providers.openai.base_url", "https://api.openai.com/v1/",
                "aimp.providers.openai.api_key", "sk-abc",
                "aimp.providers.openai.headers.OpenAI-Organization", "org-1",
                "aimp.providers.local-vllm.type", "openai",
                "aimp.providers.local-vllm.base_url", "http://10.0.0.5:8000/v1",
                "aimp.providers.local-vllm.api_key", "",
                "aimp.providers.local-vllm.connect_timeout", "3s"));

        // then
        ProviderSettings openai = properties.providers().get("openai");
        assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.apiKey()).isEqualTo("sk-abc");
        assertThat(openai.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(openai.headers()).containsEntry("OpenAI-Organization", "org-1");
        ProviderSettings vllm = properties.providers().get("local-vllm");
        assertThat(vllm.apiKey()).isNull();
        assertThat(vllm.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void should_name_the_setting_to_fix_when_base_url_is_not_an_http_url() {
        // when
        Throwable e = rootCause(catchThrowable(() -> bind(Map.of(
                "aimp.providers.anthropic.type", "anthropic",
                "aimp.providers.anthropic.base_url", "api.anthropic.com"))));

        // then
        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aimp.providers.anthropic.base_url must be an http(s) URL");
    }

    @Test
    void should_name_the_setting_to_fix_when_type_is_unknown_or_missing() {
        // expect
        assertThat(rootCause(catchThrowable(() -> bind(Map.of("aimp.providers.gem.type", "gemini")))))
                .hasMessageStartingWith("aimp.providers.gem.type must be one of openai, anthropic, local, sdwebui");
        assertThat(rootCause(catchThrowable(() -> bind(Map.of("aimp.providers.x.base_url", "http://x")))))
                .hasMessageStartingWith("aimp.providers.x.type is required");
    }

    @Test
    void should_refuse_headers_the_http_client_sets_itself() {
        // expect
        assertThat(rootCause(catchThrowable(() -> bind(Map.of("aimp.providers.openai.type", "openai",
                "aimp.providers.openai.base_url", "http://x/v1", "aimp.providers.openai.headers.Host", "evil")))))
                .hasMessageStartingWith("aimp.providers.openai.headers.Host");
    }

    @Test
    void should_reserve_the_name_local_for_the_built_in_provider() {
        // expect
        assertThat(rootCause(catchThrowable(() -> bind(Map.of(
                "aimp.providers.local.type", "openai", "aimp.providers.local.base_url", "http://x/v1")))))
                .hasMessageStartingWith("aimp.providers.local.type must be local");
    }

    @Test
    void should_never_print_the_api_key() {
        // given
        ProviderSettings settings = new ProviderSettings("openai", "https://api.openai.com/v1", "sk-very-secret",
                Map.of("X-Extra-Auth", "also-secret"), null);

        // expect
        assertThat(settings.toString()).doesNotContain("sk-very-secret").doesNotContain("also-secret").contains("***");
        assertThat(new ProvidersProperties(Map.of("openai", settings)).toString()).doesNotContain("sk-very-secret");
    }

    @Test
    void should_build_configured_providers_and_always_the_built_in_local_one() {
        // when
        ProviderRegistry empty = registry(bind(Map.of()));
        ProviderRegistry configured = registry(bind(Map.of(
                "aimp.providers.openai.type", "openai",
                "aimp.providers.openai.base_url", "https://api.openai.com/v1",
                "aimp.providers.claude.type", "anthropic",
                "aimp.providers.claude.base_url", "https://api.anthropic.com")));

        // then
        assertThat(empty.names()).containsExactly("local");
        assertThat(configured.names()).containsExactlyInAnyOrder("openai", "claude", "local");
        assertThat(configured.find("claude")).get().satisfies(p -> {
            assertThat(p.name()).isEqualTo("claude");
            assertThat(p.type()).isEqualTo("anthropic");
            assertThat(p.capabilities()).containsExactly(Capability.CHAT);
        });
        assertThat(configured.find("openai").orElseThrow().capabilities())
                .containsExactlyInAnyOrder(Capability.CHAT, Capability.EMBEDDINGS, Capability.IMAGES, Capability.MODERATION);
        assertThat(configured.find("gemini")).isEmpty();
    }
}
