package io.aimp.gateway.vectors;

import io.aimp.gateway.auth.Principal;

/**
 * Reads the bytes of an uploaded image for the embedding executor. The media feature implements it;
 * without an implementation, image items fail with a {@code configuration} problem.
 */
public interface ImageSource {

    /**
     * The bytes of the media object {@code mediaRef} as the principal's workspace sees it.
     *
     * @throws io.aimp.gateway.common.GatewayException {@code invalid_request} 404 when the reference is
     *         unknown in this workspace (another workspace's media answers the same), or when it is not
     *         a completed image upload
     */
    byte[] read(Principal principal, String mediaRef);
}
