package io.aimp.gateway.providers;

import java.util.List;

/** @param model {@code null} leaves the provider's default moderation model */
public record ModerationRequest(String model, List<String> texts) {

    public ModerationRequest {
        texts = List.copyOf(texts);
    }
}
