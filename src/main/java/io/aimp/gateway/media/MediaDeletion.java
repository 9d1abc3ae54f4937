package io.aimp.gateway.media;

/**
 * What other features keep about a media object (e.g. the vector items that index an image), deleted
 * with it: {@link #deleteWith} runs inside the transaction that deletes the media row, so both commit or
 * neither does.
 */
public interface MediaDeletion {

    /**
     * Deletes what this feature derived from the media object, in the caller's transaction.
     *
     * @return work to run after the commit (e.g. bringing in-memory indexes up to date); never null
     */
    Runnable deleteWith(String workspaceId, String mediaRef);
}
