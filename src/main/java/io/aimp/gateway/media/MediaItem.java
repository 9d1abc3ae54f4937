package io.aimp.gateway.media;

/**
 * A completed upload that run inputs may reference as {@code {"media_ref": id, "filename": ...}}.
 *
 * @param width  pixels, for images (read from the header), else {@code null}
 * @param height pixels, for images, else {@code null}
 */
public record MediaItem(String id, String workspaceId, String uploadId, String filename, String contentType,
                        MediaKind kind, long sizeBytes, String sha256, Integer width, Integer height, String blobKey,
                        long createdAt) {
}
