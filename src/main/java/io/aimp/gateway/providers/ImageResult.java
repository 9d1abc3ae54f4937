package io.aimp.gateway.providers;

import java.util.List;

/** Each entry is either an {@code https} URL or base64 image bytes, as the provider returned it. */
public record ImageResult(List<String> urlsOrBase64, Usage usage) {

    public ImageResult {
        urlsOrBase64 = List.copyOf(urlsOrBase64);
    }
}
