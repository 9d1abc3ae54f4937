package io.aimp.gateway.vectors;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.media.MediaKind;
import io.aimp.gateway.media.MediaService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;

/** Images for the embedding executor come from uploads: the bytes of a completed image upload. */
@Component
class MediaImageSource implements ImageSource {

    private final MediaService media;

    MediaImageSource(MediaService media) {
        this.media = media;
    }

    @Override
    public byte[] read(Principal principal, String mediaRef) {
        MediaService.Content content = media.open(principal, mediaRef);
        try (InputStream in = content.stream()) {
            if (content.item().kind() != MediaKind.IMAGE) {
                throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "media_type_not_allowed",
                        "media " + mediaRef + " is not an image").build();
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + content.item().id(), e);
        }
    }
}
