package io.aimp.gateway.api;

import java.io.IOException;

/** Thrown by a limited request stream once one byte more than the limit has been read. */
final class BodyTooLargeException extends IOException {

    private final long limit;

    BodyTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes", null);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
