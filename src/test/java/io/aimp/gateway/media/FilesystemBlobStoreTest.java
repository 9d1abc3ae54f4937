package io.aimp.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.TestSecrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FilesystemBlobStoreTest extends BlobStoreContract {

    private Path dir;
    private BlobStore store;

    @BeforeAll
    void create() throws IOException {
        dir = TestSecrets.tempDir("aimp-blobs-");
        store = new FilesystemBlobStore(dir.resolve("blobs"));
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Test
    void should_write_only_inside_its_root_and_leave_no_temporary_files() throws IOException {
        store.put("media/ws_a/upload_1", new ByteArrayInputStream(new byte[] {1, 2, 3}));

        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')))
                    .contains("blobs/media/ws_a/upload_1")
                    .allMatch(p -> p.startsWith("blobs/media/"));
        }
    }
}
