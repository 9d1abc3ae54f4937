package io.aimp.gateway.media;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.StorageProperties;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One property picks where blobs live: {@code aimp.media.store=filesystem|s3}. */
@Configuration(proxyBeanMethods = false)
class MediaConfig {

    private static final Logger log = LoggerFactory.getLogger(MediaConfig.class);

    @Bean
    BlobStore blobStore(MediaProperties media, StorageProperties storage, Clock clock, Database db) throws IOException {
        var dataDir = storage.dataDir().toAbsolutePath().normalize();
        if (media.store().equals("s3")) {
            return new S3BlobStore(media.s3(), dataDir.resolve("tmp").resolve("s3-spool"), clock);
        }
        warnOfPerNodeBlobs(media, db.dialect());
        return new FilesystemBlobStore(dataDir.resolve("blobs"));
    }

    /**
     * On PostgreSQL (several nodes may share the database) blobs under one node's data directory cannot be
     * served by another: says so once at start-up, unless the directory is declared shared. Returns whether it did.
     */
    static boolean warnOfPerNodeBlobs(MediaProperties media, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL || media.store().equals("s3") || media.sharedFilesystem()) {
            return false;
        }
        log.warn("Media blobs are stored in this node's data directory: with several nodes, a medium uploaded to one "
                + "cannot be read through another. Set AIMP_MEDIA_STORE=s3 (aimp.media.store) for a shared bucket, or "
                + "aimp.media.shared-filesystem=true when the data directory is shared by every node");
        return true;
    }

    /** Media uploads and where their bytes live: {@code filesystem} under the data directory or {@code s3}. */
    @Bean
    io.aimp.gateway.common.FeatureFlag mediaStoreFeature(MediaProperties media) {
        return io.aimp.gateway.common.FeatureFlag.of("media_store", true, java.util.Map.of("backend", media.store()));
    }
}
