package io.aimp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.api.ApiProperties;
import io.aimp.gateway.auth.AuthProperties;
import io.aimp.gateway.storage.StorageProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad setting stops start-up with one line that names it, and never prints the value. */
class SettingsFailureAnalyzerTest {

    private static FailureAnalysis analyze(Class<?> type, String prefix, Map<String, String> settings) {
        BindException e = catchThrowableOfType(BindException.class,
                () -> new Binder(new MapConfigurationPropertySource(settings)).bind(prefix, type));
        assertThat(e).as("binding must fail").isNotNull();
        return new SettingsFailureAnalyzer().analyze(e);
    }

    @Test
    void should_name_the_setting_and_the_environment_variable() {
        FailureAnalysis a = analyze(AuthProperties.class, "aimp", Map.of("aimp.public-url", "ftp://example"));
        assertThat(a.getDescription()).isEqualTo(
                "Invalid setting: aimp.public-url (AIMP_PUBLIC_URL) must be an http(s) URL, e.g. http://localhost:8080");
        assertThat(a.getDescription()).doesNotContain("\n");
    }

    @Test
    void should_name_a_setting_of_the_wrong_type_without_its_value() {
        FailureAnalysis a = analyze(ApiProperties.class, "aimp.http", Map.of("aimp.http.max-json-body", "lots-and-lots"));
        assertThat(a.getDescription()).contains("aimp.http.max-json-body").doesNotContain("lots-and-lots");
    }

    @Test
    void should_not_print_a_secret_value() {
        FailureAnalysis a = analyze(AuthProperties.class, "aimp", Map.of("aimp.secret-key", "short-secret-value"));
        assertThat(a.getDescription()).contains("aimp.secret-key").doesNotContain("short-secret-value");
    }

    @Test
    void should_refuse_a_database_url_of_another_kind() {
        FailureAnalysis a = analyze(StorageProperties.class, "aimp", Map.of("aimp.database-url", "jdbc:mysql://db/x"));
        assertThat(a.getDescription()).contains("aimp.database-url (AIMP_DATABASE_URL)");
    }
}
