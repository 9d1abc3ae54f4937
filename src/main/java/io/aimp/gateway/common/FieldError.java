package io.aimp.gateway.common;

/** One problem with one field of a request; {@code path} is a JSON path such as {@code $.input.text}. */
public record FieldError(String path, String message) {
}
