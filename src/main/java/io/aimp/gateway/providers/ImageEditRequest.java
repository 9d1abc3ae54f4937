package io.aimp.gateway.providers;

/**
 * One image edit: {@code n} variants of {@code image} changed as {@code prompt} says, where {@code mask} (if any)
 * is transparent.
 *
 * @param image     the bytes of the image to edit (checked by the gateway when it was stored)
 * @param imageType its content type, e.g. {@code image/png}
 * @param mask      a PNG whose transparent pixels mark what to change, or {@code null}
 * @param size      {@code WIDTHxHEIGHT}, or {@code null} for the provider's default
 */
public record ImageEditRequest(String model, String prompt, byte[] image, String imageType, byte[] mask, int n,
                               String size) {

    public ImageEditRequest {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
    }

    /** This request for another model (each route names its own). */
    public ImageEditRequest withModel(String other) {
        return new ImageEditRequest(other, prompt, image, imageType, mask, n, size);
    }
}
