package io.aimp.gateway.media;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Media uploads and where their bytes live ({@code aimp.media.*}).
 *
 * @param store              {@code filesystem} (blobs under {@code aimp.data-dir}/blobs) or {@code s3}
 * @param uploadTtl          how long an upload URL is valid; an upload not completed within twice this is abandoned
 * @param workspaceQuota     bytes a workspace may keep (completed media plus uploads in progress)
 * @param maxImagePixels     width × height above which an image is refused, read from its header before any decode
 * @param cleanupInterval    how often expired and abandoned uploads are cleaned
 * @param imageMaxSize       size cap of one image (likewise audio, video and file)
 * @param imageContentTypes  content types an image upload may declare (likewise audio, video and file)
 * @param sharedFilesystem   {@code true} when the filesystem store's data directory is shared by every node (NFS
 *                           and the like): silences the start-up warning of a PostgreSQL gateway with per-node blobs
 */
@ConfigurationProperties("aimp.media")
public record MediaProperties(
        @DefaultValue("filesystem") String store,
        @DefaultValue("15m") Duration uploadTtl,
        @DefaultValue("10GB") DataSize workspaceQuota,
        @DefaultValue("100000000") long maxImagePixels,
        @DefaultValue("5m") Duration cleanupInterval,
        @DefaultValue("20MB") DataSize imageMaxSize,
        @DefaultValue("100MB") DataSize audioMaxSize,
        @DefaultValue("500MB") DataSize videoMaxSize,
        @DefaultValue("50MB") DataSize fileMaxSize,
        @DefaultValue({"image/png", "image/jpeg", "image/gif", "image/webp"}) List<String> imageContentTypes,
        @DefaultValue({"audio/mpeg", "audio/wav", "audio/x-wav", "audio/ogg", "audio/flac", "audio/mp4", "audio/webm"})
        List<String> audioContentTypes,
        @DefaultValue({"video/mp4", "video/webm", "video/quicktime", "video/ogg"}) List<String> videoContentTypes,
        @DefaultValue({"application/pdf", "text/plain", "text/csv", "text/markdown", "application/json"})
        List<String> fileContentTypes,
        @DefaultValue S3 s3,
        @DefaultValue("false") boolean sharedFilesystem) {

    /**
     * An S3-compatible bucket ({@code aimp.media.s3.*}), used when {@code store} is {@code s3}.
     *
     * @param pathStyle {@code true} for {@code endpoint/bucket/key} (MinIO, S3Proxy, most self-hosted stores),
     *                  {@code false} for {@code bucket.endpoint/key}
     */
    public record S3(String endpoint, String bucket, @DefaultValue("us-east-1") String region,
                     String accessKey, String secretKey, @DefaultValue("true") boolean pathStyle) {
    }

    public MediaProperties {
        store = store.toLowerCase(Locale.ROOT);
        if (!store.equals("filesystem") && !store.equals("s3")) {
            throw new IllegalArgumentException("aimp.media.store (AIMP_MEDIA_STORE) must be filesystem or s3");
        }
        if (uploadTtl.toSeconds() < 10 || uploadTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("aimp.media.upload-ttl must be between 10s and 1d");
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("aimp.media.max-image-pixels must be at least 1");
        }
        if (cleanupInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("aimp.media.cleanup-interval must be at least 1s");
        }
        for (DataSize s : List.of(imageMaxSize, audioMaxSize, videoMaxSize, fileMaxSize, workspaceQuota)) {
            if (s.toBytes() < 1) {
                throw new IllegalArgumentException("aimp.media sizes and the workspace quota must be positive");
            }
        }
        imageContentTypes = lower(imageContentTypes);
        audioContentTypes = lower(audioContentTypes);
        videoContentTypes = lower(videoContentTypes);
        fileContentTypes = lower(fileContentTypes);
        if (store.equals("s3") && (blank(s3.endpoint()) || blank(s3.bucket()) || blank(s3.accessKey()) || blank(s3.secretKey()))) {
            throw new IllegalArgumentException("aimp.media.store=s3 needs aimp.media.s3.endpoint, bucket, access-key and secret-key");
        }
    }

    public long maxSize(MediaKind kind) {
        return switch (kind) {
            case IMAGE -> imageMaxSize.toBytes();
            case AUDIO -> audioMaxSize.toBytes();
            case VIDEO -> videoMaxSize.toBytes();
            case FILE -> fileMaxSize.toBytes();
        };
    }

    public List<String> contentTypes(MediaKind kind) {
        return switch (kind) {
            case IMAGE -> imageContentTypes;
            case AUDIO -> audioContentTypes;
            case VIDEO -> videoContentTypes;
            case FILE -> fileContentTypes;
        };
    }

    private static List<String> lower(List<String> types) {
        return types.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
