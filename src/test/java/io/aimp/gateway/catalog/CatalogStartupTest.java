package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aimp.gateway.Application;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A catalog file of a kind no executor on the gateway runs stops start-up with one line naming the file and the kind. */
@ExtendWith(OutputCaptureExtension.class)
class CatalogStartupTest {

    @Test
    void should_stop_start_up_on_one_line_naming_the_file_and_a_kind_without_an_executor(CapturedOutput output)
            throws IOException {
        Path catalog = TestSecrets.tempDir("aimp-poem-catalog-");
        Path file = Files.writeString(catalog.resolve("painter.yaml"), CatalogFiles.textModel("painter", "")
                .replace("kind: text", "kind: poem").replace("text:\n  prompt:", "poem:\n  prompt:"));

        Throwable failure = catchThrowable(() -> SpringApplication.run(Application.class,
                "--server.port=0", "--aimp.data-dir=" + TestSecrets.tempDir("aimp-poem-data-"),
                "--aimp.catalog-dir=" + catalog, "--aimp.secret-key=" + TestSecrets.base62(48)).close());

        CatalogException cause = causeOf(failure);
        assertThat(cause).as("start-up must fail on the catalog").isNotNull();
        String line = file + ": kind 'poem' is not a kind this gateway runs (no executor for it); use one of"
                + " assistant, chat, content, embedding, form, image, text, workflow";
        assertThat(cause.problems()).containsExactly(line);
        FailureAnalysis analysis = new CatalogFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo("the model catalog is invalid: " + line);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("the model catalog is invalid: " + line + System.lineSeparator());
    }

    private static CatalogException causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CatalogException e) {
                return e;
            }
        }
        return null;
    }
}
