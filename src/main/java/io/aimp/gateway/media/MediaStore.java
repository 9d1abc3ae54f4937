package io.aimp.gateway.media;

import java.util.List;
import java.util.Optional;

/**
 * Uploads, media and per-workspace storage usage. Every method that changes state is atomic: the
 * upload's state moves only from the expected state (a conditional update), and the workspace's
 * usage counters move in the same transaction, exactly once per upload.
 */
interface MediaStore {

    /** Bytes kept by completed media and bytes reserved by uploads in progress. */
    record Usage(long usedBytes, long reservedBytes) {
    }

    /**
     * Reserves {@code upload.sizeBytes()} of the workspace's quota and records the upload as initiated.
     *
     * @return {@code false} (and nothing recorded) when the reservation would exceed {@code quota}
     */
    boolean initiate(Upload upload, long quota);

    Optional<Upload> upload(String id);

    /**
     * Moves an upload from one state to another; a move that leaves the states holding a quota
     * reservation releases it.
     *
     * @return {@code false} when the upload was not in {@code from} (someone else moved it first)
     * @throws IllegalStateException when {@link UploadState} does not allow the move
     */
    boolean move(String uploadId, UploadState from, UploadState to, long now);

    /** {@code uploading → uploaded}, recording the digest of the bytes received. */
    boolean received(String uploadId, String sha256, long now);

    /** {@code uploaded → completed}: records the media and turns the reservation into usage. */
    boolean complete(String uploadId, MediaItem media, long now);

    Optional<MediaItem> media(String workspaceId, String mediaId);

    List<MediaItem> list(String workspaceId, MediaKind kind, int limit, int offset);

    long count(String workspaceId, MediaKind kind);

    /** Deletes the media record and gives its bytes back to the workspace's quota. */
    Optional<MediaItem> delete(String workspaceId, String mediaId);

    /**
     * Uploads to clean: initiated ones whose URL expired before {@code now}, and uploading or
     * uploaded ones that were not completed by {@code now - grace} past their expiry.
     */
    List<Upload> abandoned(long now, long graceMillis, int limit);

    Usage usage(String workspaceId);
}
