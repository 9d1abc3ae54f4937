package io.aimp.gateway.providers;

/** @param size e.g. {@code 1024x1024}; {@code null} leaves the provider's default */
public record ImageRequest(String model, String prompt, int n, String size) {

    public ImageRequest {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
    }
}
