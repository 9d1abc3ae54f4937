package io.aimp.gateway.media;

import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against S3Proxy in this JVM (in-memory buckets, Signature V4 checked), never a network service. */
class S3BlobStoreTest extends BlobStoreContract {

    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = TestSecrets.base62(40);

    private S3Proxy proxy;
    private TransientNio2BlobStore backend;
    private BlobStore store;

    @BeforeAll
    void start() throws Exception {
        backend = new TransientNio2BlobStore();
        backend.createContainer("aimp-test");
        proxy = S3Proxy.builder()
                .blobStore(backend)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> "STARTED".equals(proxy.getState()));
        store = s3Store(SECRET_KEY);
    }

    private BlobStore s3Store(String secret) throws IOException {
        return new S3BlobStore(new MediaProperties.S3("http://127.0.0.1:" + proxy.getPort(), "aimp-test", "us-east-1",
                ACCESS_KEY, secret, true), TestSecrets.tempDir("aimp-s3-spool-"), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @org.junit.jupiter.api.Test
    void should_fail_loudly_with_a_wrong_secret() throws IOException {
        BlobStore wrong = s3Store("not-the-secret");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrong.exists("media/ws/x"))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 403");
    }
}
