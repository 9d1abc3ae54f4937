package io.aimp.gateway.api;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.RedactingConverters;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every failure a handler can raise to problem JSON. Details are written here, never copied
 * from a parser or a driver: those messages can echo request bodies, secrets included.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final Problems problems;

    ApiExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<Object> gateway(GatewayException e, HttpServletRequest request) {
        return problems.entity(e, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return problems.entity(fromUnreadable(e), request);
    }

    static GatewayException fromUnreadable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodyTooLargeException big) {
                return EdgeFilter.tooLarge(big.limit());
            }
            if (c instanceof StreamConstraintsException) {
                return GatewayException.invalid("json_too_complex",
                        "the JSON body exceeds a structural limit (nesting depth, number or string length)");
            }
            if (c instanceof UnrecognizedPropertyException u) {
                String path = JsonPaths.of(u.getPath());
                return GatewayException.invalidField("unknown_field", path, "unknown field " + path);
            }
            if (c instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
                String path = JsonPaths.of(m.getPath());
                return GatewayException.invalidField("invalid_field", path, path + " has the wrong type or format");
            }
            // Jackson 3 says "Duplicate Object property", Jackson 2 said "Duplicate field"
            if (c instanceof JacksonException j && j.getMessage() != null
                    && (j.getMessage().contains("Duplicate Object property") || j.getMessage().contains("Duplicate field"))) {
                return GatewayException.invalid("duplicate_key", "the JSON body has a duplicate object key");
            }
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return missingBody();
        }
        return GatewayException.invalid("malformed_json", "the request body is not a well-formed JSON object in UTF-8");
    }

    static GatewayException missingBody() {
        return GatewayException.invalid("missing_body", "a JSON object body is required");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problems.entity(GatewayException.of(ErrorCategory.INVALID_REQUEST, "unsupported_media_type",
                "send the body as Content-Type: application/json").status(415).build(), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return problems.entity(GatewayException.of(ErrorCategory.INVALID_REQUEST, "not_acceptable",
                "this route answers application/json").status(406).build(), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        String allowed = e.getSupportedHttpMethods() == null ? "" : String.join(", ",
                e.getSupportedHttpMethods().stream().map(Object::toString).toList());
        ResponseEntity<Object> r = problems.entity(GatewayException.of(ErrorCategory.INVALID_REQUEST, "method_not_allowed",
                "this route does not take " + e.getMethod() + (allowed.isEmpty() ? "" : "; allowed: " + allowed))
                .status(405).build(), request);
        return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
                .header(HttpHeaders.ALLOW, allowed).body(r.getBody());
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<Object> noRoute(Exception e, HttpServletRequest request) {
        return problems.entity(GatewayException.of(ErrorCategory.INVALID_REQUEST, "route_not_found",
                "no route matches " + request.getMethod() + " on this path; see /api/openapi.json").status(404).build(), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParam(MissingServletRequestParameterException e, HttpServletRequest request) {
        return problems.entity(GatewayException.invalidField("missing_parameter", e.getParameterName(),
                "query parameter " + e.getParameterName() + " is required"), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return problems.entity(GatewayException.invalidField("missing_header", e.getHeaderName(),
                "header " + e.getHeaderName() + " is required"), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParam(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == java.time.Instant.class ? ": send " + InstantParameter.FORMAT
                : e.getRequiredType() != null && Number.class.isAssignableFrom(org.springframework.util.ClassUtils.resolvePrimitiveIfNecessary(
                        e.getRequiredType())) ? ": send a whole number" : "";
        return problems.entity(GatewayException.invalidField("invalid_parameter", e.getName(),
                e.getName() + " has the wrong type or format" + expected), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        return problems.entity(unexpectedProblem(e, request), request);
    }

    private static GatewayException unexpectedProblem(Exception e, HttpServletRequest request) {
        log.error("unhandled failure on {} {}", request.getMethod(),
                request.getAttribute(org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE), e);
        return internal();
    }

    /**
     * The problem the handlers above answer for a failure of a request body read by the edge itself, or
     * of the route it called ({@link LeanRoutes}): a refusal is itself, an unreadable or oversized body
     * is {@link #fromUnreadable}, anything else is logged and answered as {@link #internal}.
     */
    static GatewayException problemOf(Exception e, HttpServletRequest request) {
        if (e instanceof GatewayException g) {
            return g;
        }
        if (e instanceof HttpMessageNotReadableException || e instanceof JacksonException || e instanceof BodyTooLargeException) {
            return fromUnreadable(e);
        }
        return unexpectedProblem(e, request);
    }

    static GatewayException internal() {
        return GatewayException.of(ErrorCategory.EXECUTION, "internal_error",
                "the gateway failed while handling this request; nothing was charged. Quote the request_id when reporting it")
                .status(500).title("Internal error").build();
    }

    /** JSON paths from Jackson's reference chain, with untrusted names trimmed to safe characters. */
    static final class JsonPaths {
        private JsonPaths() {
        }

        static String of(List<JacksonException.Reference> refs) {
            StringBuilder sb = new StringBuilder("$");
            for (JacksonException.Reference r : refs) {
                if (r.getPropertyName() != null) {
                    // a client-chosen name is echoed in the answer: never when it looks like a credential
                    String raw = r.getPropertyName();
                    String name = RedactingConverters.redact(raw).equals(raw)
                            ? raw.replaceAll("[^A-Za-z0-9_\\-]", "?") : "(redacted)";
                    sb.append('.').append(name.length() > 64 ? name.substring(0, 64) + "…" : name);
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
    }
}
