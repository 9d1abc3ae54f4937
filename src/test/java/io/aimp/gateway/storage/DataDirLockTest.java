package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

class DataDirLockTest {

    @Test
    void should_refuse_a_second_gateway_on_the_same_data_dir_and_allow_one_after_release(@TempDir Path dir) throws Exception {
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dir))
                    .isInstanceOf(DataDirLock.InUse.class)
                    .hasMessageContaining("aimp.data-dir (AIMP_DATA_DIR)")
                    .hasMessageContaining("one process");
        }
        DataDirLock.acquire(dir).close();
    }

    @Test
    void should_explain_a_taken_data_dir_in_one_line_with_what_to_do(@TempDir Path dir) throws Exception {
        // the analyzers Spring Boot starts with (those that need a bean factory cannot be built here and are skipped)
        FailureAnalyzer analyzer = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }))
                .stream().filter(DataDirFailureAnalyzer.class::isInstance).findFirst().orElseThrow();
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            Throwable startFailure = new IllegalStateException("context failed", catchThrowable(() -> DataDirLock.acquire(dir)));

            FailureAnalysis analysis = analyzer.analyze(startFailure);

            assertThat(analysis.getDescription()).contains("aimp.data-dir (AIMP_DATA_DIR)").doesNotContain("\n");
            assertThat(analysis.getAction()).contains("AIMP_DATA_DIR").contains("AIMP_DATABASE_URL");
        }
    }
}
