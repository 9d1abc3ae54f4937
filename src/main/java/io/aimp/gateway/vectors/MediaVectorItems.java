package io.aimp.gateway.vectors;

import io.aimp.gateway.media.MediaDeletion;
import org.springframework.stereotype.Component;

/** Deleting a media object deletes the vector items that index it, in the same transaction. */
@Component
class MediaVectorItems implements MediaDeletion {

    private final VectorService vectors;

    MediaVectorItems(VectorService vectors) {
        this.vectors = vectors;
    }

    @Override
    public Runnable deleteWith(String workspaceId, String mediaRef) {
        return vectors.deleteItemsOfMedia(workspaceId, mediaRef);
    }
}
