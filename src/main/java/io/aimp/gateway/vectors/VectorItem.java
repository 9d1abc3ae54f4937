package io.aimp.gateway.vectors;

/**
 * One stored item.
 *
 * @param vector   unit length; {@code null} when a listing leaves vectors out
 * @param content  what was embedded, as a JSON object text: {@code {"text": ...}} or
 *                 {@code {"media_ref": ..., "filename": ...}}
 * @param metadata the caller's metadata as a JSON object text, or {@code null}
 */
public record VectorItem(String id, float[] vector, String content, String metadata, long createdAt, long updatedAt) {
}
