package io.aimp.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What every {@link BlobStore} must do; one subclass per backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BlobStoreContract {

    protected abstract BlobStore store();

    private static String key() {
        return "media/ws_test/" + UUID.randomUUID().toString().replace("-", "");
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void should_read_back_exactly_what_was_put() throws IOException {
        String key = key();
        byte[] bytes = random(3 * 1024 * 1024 + 17);

        assertThat(store().put(key, new ByteArrayInputStream(bytes))).isEqualTo(bytes.length);

        assertThat(store().exists(key)).isTrue();
        try (InputStream in = store().open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void should_store_an_empty_blob() throws IOException {
        String key = key();

        assertThat(store().put(key, InputStream.nullInputStream())).isZero();

        try (InputStream in = store().open(key)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void should_replace_a_blob_under_the_same_key() throws IOException {
        String key = key();
        store().put(key, new ByteArrayInputStream(random(100)));

        store().put(key, new ByteArrayInputStream(random(50)));

        try (InputStream in = store().open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(random(50));
        }
    }

    @Test
    void should_store_nothing_when_the_source_fails_midway() {
        String key = key();
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(random(200_000)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client went away");
            }
        });

        assertThatThrownBy(() -> store().put(key, failing)).isInstanceOf(IOException.class).hasMessage("client went away");

        assertThat(exists(key)).isFalse();
    }

    @Test
    void should_answer_missing_blobs_with_no_such_file() throws IOException {
        String key = key();

        assertThat(store().exists(key)).isFalse();
        assertThatThrownBy(() -> store().open(key)).isInstanceOf(NoSuchFileException.class);
        store().delete(key); // not an error
    }

    @Test
    void should_delete_a_blob() throws IOException {
        String key = key();
        store().put(key, new ByteArrayInputStream(random(10)));

        store().delete(key);

        assertThat(store().exists(key)).isFalse();
        assertThatThrownBy(() -> store().open(key)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void should_refuse_keys_that_are_not_server_made() {
        for (String bad : new String[] {"../x", "a/../../b", "/etc/passwd", "a//b", "", "a/", ".tmp/x", "a\\b", "a%2fb",
                "a\u0000b", "x".repeat(129)}) {
            assertThatThrownBy(() -> store().put(bad, InputStream.nullInputStream())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store().open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store().delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private boolean exists(String key) {
        try {
            return store().exists(key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
