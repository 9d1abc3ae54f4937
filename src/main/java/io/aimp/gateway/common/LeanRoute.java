package io.aimp.gateway.common;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * A JSON route the HTTP edge answers itself, without the web framework's dispatch (handler search,
 * argument resolution, observation), when {@code aimp.http.lean-runs} is on. The edge's own steps run
 * as for every route (readiness, path form, header and body limits, request id, authentication, access
 * log); then the edge reads the body as a JSON tree with the API's mapper, calls {@link #answer} and
 * writes what it returns as JSON; every exception becomes the problem the exception handlers answer.
 * The edge takes only the plain form of a request (exactly {@link #method} on exactly {@link #path},
 * a JSON body, JSON acceptable as the answer) and leaves every other form to the framework, so the
 * two paths answer alike. The route's controller method calls {@link #answer} too: one piece of code.
 *
 * @param <P> the caller the edge authenticated
 */
public interface LeanRoute<P> {

    /** The HTTP method, e.g. {@code POST}. */
    String method();

    /** The exact path, which is also the route pattern in the access log and the request metrics. */
    String path();

    /**
     * Answers the request.
     *
     * @param body    the request body as read by the API's JSON mapper (never {@code null})
     * @param request the request, for headers and the edge's attributes (its body has been read)
     * @throws GatewayException every refusal, rendered as problem JSON by the edge
     */
    JsonAnswer answer(P caller, JsonNode body, HttpServletRequest request);
}
