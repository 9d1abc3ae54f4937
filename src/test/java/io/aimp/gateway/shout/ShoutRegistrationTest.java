package io.aimp.gateway.shout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aimp.gateway.Application;
import io.aimp.gateway.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Half a kind does not start: catalog settings without an executor would load models nothing can run. */
class ShoutRegistrationTest {

    @Test
    void should_refuse_to_start_with_settings_but_no_executor() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(Application.class, ShoutSettings.Reader.class)
                .run("--server.port=0", "--aimp.data-dir=" + TestSecrets.tempDir("aimp-half-kind-"),
                        "--aimp.secret-key=" + TestSecrets.base62(48)).close());

        assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("each kind needs catalog settings (a KindSettings bean) and an executor")
                .hasMessageContaining("shout");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
