package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** The default public URL (banner, upload and invitation URLs, token issuer) follows the port the gateway listens on. */
class PublicUrlDefaultTest {

    private static AuthProperties bind(Map<String, Object> env, Map<String, Object> args) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env", env));
        environment.getPropertySources().addFirst(new MapPropertySource("args", args));
        for (PropertySource<?> ps : new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(ps);
        }
        return Binder.get(environment).bind("aimp", AuthProperties.class).get();
    }

    @Test
    void should_follow_AIMP_PORT() throws IOException {
        assertThat(bind(Map.of("AIMP_PORT", "9091"), Map.of()).publicUrl()).isEqualTo("http://localhost:9091");
    }

    @Test
    void should_follow_server_port_given_on_the_command_line() throws IOException {
        assertThat(bind(Map.of(), Map.of("server.port", "7070")).publicUrl()).isEqualTo("http://localhost:7070");
    }

    @Test
    void should_default_to_8080_and_keep_an_explicit_AIMP_PUBLIC_URL() throws IOException {
        assertThat(bind(Map.of(), Map.of()).publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(bind(Map.of("AIMP_PORT", "9091", "AIMP_PUBLIC_URL", "https://gw.example.com/"), Map.of()).publicUrl())
                .isEqualTo("https://gw.example.com");
    }
}
