package io.aimp.gateway.common;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * A JSON answer as a route computes it, before either web path writes it ({@link LeanRoute}).
 *
 * @param headers extra response headers, or {@code null} when there are none (the common case)
 * @param body    written as JSON with the API's mapper
 */
public record JsonAnswer(int status, HttpHeaders headers, Object body) {

    /** The same answer for a controller method. */
    public ResponseEntity<Object> entity() {
        return ResponseEntity.status(status).headers(headers).body(body);
    }
}
