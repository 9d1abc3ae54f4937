package io.aimp.gateway.media;

/**
 * One upload: what the client declared at init, where its bytes go, and its state.
 *
 * @param blobKey  made by the server from the workspace and upload ids; the filename never takes part
 * @param sha256   known once the bytes have arrived, else {@code null}
 * @param mediaId  the media it became, once completed
 */
public record Upload(String id, String workspaceId, String userId, String keyId, String filename, String contentType,
                     MediaKind kind, long sizeBytes, UploadState state, String blobKey, String sha256, String mediaId,
                     long expiresAt, long createdAt) {
}
