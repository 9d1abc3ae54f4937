package io.aimp.gateway.media;

import io.aimp.gateway.storage.StorageProperties;
import java.io.IOException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One property picks where blobs live: {@code aimp.media.store=filesystem|s3}. */
@Configuration(proxyBeanMethods = false)
class MediaConfig {

    @Bean
    BlobStore blobStore(MediaProperties media, StorageProperties storage, Clock clock) throws IOException {
        var dataDir = storage.dataDir().toAbsolutePath().normalize();
        if (media.store().equals("s3")) {
            return new S3BlobStore(media.s3(), dataDir.resolve("tmp").resolve("s3-spool"), clock);
        }
        return new FilesystemBlobStore(dataDir.resolve("blobs"));
    }
}
