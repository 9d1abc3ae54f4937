package io.aimp.gateway.api;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Renders {@link GatewayException}s as RFC 9457 problem JSON: the one place a failure becomes a response. */
@Component
class Problems {

    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final ObjectMapper json;

    Problems(ObjectMapper json) {
        this.json = json;
    }

    Map<String, Object> body(GatewayException e, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:aimp:problem:" + e.code());
        body.put("title", e.title() != null ? e.title() : title(e));
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("code", e.code());
        body.put("category", e.category().wireName());
        body.put("request_id", requestId);
        if (!e.errors().isEmpty()) {
            List<Map<String, String>> errors = e.errors().stream()
                    .map(Problems::fieldError).toList();
            body.put("errors", errors);
        }
        e.extensions().forEach(body::putIfAbsent);
        return body;
    }

    private static Map<String, String> fieldError(FieldError f) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("message", f.message());
        return m;
    }

    ResponseEntity<Object> entity(GatewayException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status()).contentType(PROBLEM_JSON);
        if (e.retryAfterSeconds() != null) {
            b.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        e.headers().forEach(b::header);
        if (e.category() == ErrorCategory.AUTHENTICATION) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aimp\", ApiKey header=\"X-API-Key\"");
        }
        return b.body(body(e, RequestIds.of(request)));
    }

    /** Writes a problem directly (filters, before any controller). */
    void write(HttpServletRequest request, HttpServletResponse response, GatewayException e) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(e.status());
        response.setContentType(PROBLEM_JSON.toString());
        if (e.retryAfterSeconds() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        e.headers().forEach(response::setHeader);
        if (e.category() == ErrorCategory.AUTHENTICATION) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aimp\", ApiKey header=\"X-API-Key\"");
        }
        byte[] bytes = json.writeValueAsBytes(body(e, RequestIds.of(request)));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String title(GatewayException e) {
        return switch (e.status()) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable request";
            case 431 -> "Request headers too large";
            case 402 -> "Payment required";
            default -> switch (e.category()) {
                case AUTHENTICATION -> "Authentication failed";
                case PERMISSION -> "Permission denied";
                case LIMIT -> "Limit reached";
                case INVALID_REQUEST -> "Invalid request";
                case CONFIGURATION -> "Not configured";
                case PROVIDER -> "Provider failure";
                case EXECUTION -> "Execution failed";
            };
        };
    }
}
