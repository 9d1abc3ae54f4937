package io.aimp.gateway.api;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failures that never reached a controller (the servlet container's own errors) still answer
 * problem JSON, never an HTML page or a stack trace.
 */
@RestController
class ApiErrorController implements ErrorController {

    private final Problems problems;

    ApiErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object ex = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        GatewayException e;
        if (ex instanceof GatewayException g) {
            e = g;
        } else if (ex instanceof Throwable t && hasCause(t, BodyTooLargeException.class)) {
            e = ApiExceptionHandler.fromUnreadable(t);
        } else if (status >= 500) {
            e = ApiExceptionHandler.internal();
        } else {
            e = GatewayException.of(ErrorCategory.INVALID_REQUEST, status == 404 ? "route_not_found" : "bad_request",
                    status == 404 ? "no route matches this path" : "the request could not be processed").status(status).build();
        }
        return problems.entity(e, request);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
