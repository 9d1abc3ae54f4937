package io.aimp.gateway.providers;

/**
 * One image generation: {@code n} images of {@code prompt} with one model.
 *
 * @param negativePrompt what the images should not show; adapters whose API has no such field leave it out
 * @param size           {@code WIDTHxHEIGHT}, e.g. {@code 1024x1024}; {@code null} leaves the provider's default
 * @param quality        e.g. {@code standard} or {@code hd}; {@code null} leaves the provider's default
 * @param style          e.g. {@code vivid}; {@code null} leaves the provider's default
 * @param seed           a seed for providers that take one, else {@code null}
 */
public record ImageRequest(String model, String prompt, String negativePrompt, int n, String size, String quality,
                           String style, Long seed) {

    public ImageRequest {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
    }

    public ImageRequest(String model, String prompt, int n, String size) {
        this(model, prompt, null, n, size, null, null, null);
    }

    /** This request for another model (each route names its own). */
    public ImageRequest withModel(String other) {
        return new ImageRequest(other, prompt, negativePrompt, n, size, quality, style, seed);
    }

    /** The width of {@link #size}, or 0 when no size was asked for. */
    public int width() {
        return size == null ? 0 : Integer.parseInt(size.substring(0, size.indexOf('x')));
    }

    /** The height of {@link #size}, or 0 when no size was asked for. */
    public int height() {
        return size == null ? 0 : Integer.parseInt(size.substring(size.indexOf('x') + 1));
    }
}
