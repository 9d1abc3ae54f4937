package io.aimp.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Dialect;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The start-up warning of a PostgreSQL gateway whose media blobs stay on one node's disk. */
@ExtendWith(OutputCaptureExtension.class)
class MediaConfigTest {

    private static MediaProperties media(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("aimp.media", MediaProperties.class);
    }

    @Test
    void should_warn_on_postgresql_with_blobs_in_the_data_directory(CapturedOutput output) {
        assertThat(MediaConfig.warnOfPerNodeBlobs(media(Map.of()), Dialect.POSTGRESQL)).isTrue();

        assertThat(output.getAll()).contains("AIMP_MEDIA_STORE=s3").contains("aimp.media.shared-filesystem=true");
    }

    @Test
    void should_not_warn_on_sqlite_a_shared_directory_or_s3(CapturedOutput output) {
        Map<String, String> s3 = new HashMap<>(Map.of("aimp.media.store", "s3", "aimp.media.s3.endpoint", "http://127.0.0.1:9000",
                "aimp.media.s3.bucket", "b", "aimp.media.s3.access-key", "a", "aimp.media.s3.secret-key", "s"));

        assertThat(MediaConfig.warnOfPerNodeBlobs(media(Map.of()), Dialect.SQLITE)).isFalse();
        assertThat(MediaConfig.warnOfPerNodeBlobs(media(Map.of("aimp.media.shared-filesystem", "true")), Dialect.POSTGRESQL))
                .isFalse();
        assertThat(MediaConfig.warnOfPerNodeBlobs(media(s3), Dialect.POSTGRESQL)).isFalse();
        assertThat(output.getAll()).doesNotContain("AIMP_MEDIA_STORE=s3");
    }
}
