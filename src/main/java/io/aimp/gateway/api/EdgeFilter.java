package io.aimp.gateway.api;

import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The edge of every request, in order: readiness (until the start-up steps have run — first-start
 * bootstrap, starting credits, stranded holds, queued work — every request is answered 503
 * {@code starting} with {@code Retry-After}, so nothing sees a half-started gateway), request id, header
 * and body limits, authentication (unless
 * the route is in {@link PublicRoutes}), then the handler (or a lean route, {@link LeanRoutes}, which runs
 * these same steps through {@link #edge}), then one access-log line. A failure here
 * is answered as problem JSON at once. A path that is not in its canonical form is refused before
 * authentication ({@link CanonicalPaths}), so the path checked here is the path routing sees; the
 * admin role for the admin endpoints is checked on the endpoint invoked ({@link AdminEndpointGuard}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class EdgeFilter extends OncePerRequestFilter {

    static final String PRINCIPAL = "aimp.principal";
    private static final Logger access = LoggerFactory.getLogger("aimp.access");
    private static final Logger log = LoggerFactory.getLogger(EdgeFilter.class);

    private final Authenticator authenticator;
    private final Problems problems;
    private final long maxBody;
    private final long maxHeaders;
    private final boolean accessLog;
    private volatile boolean ready;

    EdgeFilter(Authenticator authenticator, Problems problems, ApiProperties props) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.maxBody = props.maxJsonBody().toBytes();
        this.maxHeaders = props.maxHeaderBytes().toBytes();
        this.accessLog = props.accessLog();
    }

    /** Published after every start-up runner has finished. */
    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        ready = true;
    }

    /** What runs after the edge's steps: the rest of the filter chain, or a {@link LeanRoutes lean route}. */
    @FunctionalInterface
    interface Next {
        void handle(HttpServletRequest request, HttpServletResponse response, Principal principal)
                throws ServletException, IOException;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        edge(request, response, (rq, rs, principal) -> chain.doFilter(rq, rs));
    }

    /**
     * The edge's steps around {@code next}, which gets the request (body limited) and its principal
     * ({@code null} on a public route); a {@link GatewayException} from any of them is answered here.
     */
    void edge(HttpServletRequest request, HttpServletResponse response, Next next) throws ServletException, IOException {
        long start = System.nanoTime();
        String requestId = RequestIds.accept(request.getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        MDC.put("request_id", requestId);
        Principal principal = null;
        try {
            if (!ready) {
                throw GatewayException.of(ErrorCategory.CONFIGURATION, "starting", "the gateway is starting; retry shortly")
                        .title("Starting").retryAfter(1).build();
            }
            checkHeaders(request);
            String path = request.getRequestURI();
            CanonicalPaths.require(path);
            boolean streamed = PublicRoutes.streamsBody(request.getMethod(), path);
            long declared = request.getContentLengthLong();
            if (declared > maxBody && !streamed) {
                throw tooLarge(maxBody);
            }
            if (!PublicRoutes.isPublic(request.getMethod(), path)) {
                principal = authenticate(request, path);
                request.setAttribute(PRINCIPAL, principal);
            }
            next.handle(streamed ? request : new LimitedRequest(request, maxBody), response, principal);
        } catch (GatewayException e) {
            problems.write(request, response, e);
        } finally {
            if (accessLog) {
                logAccess(request, response, principal, start);
            }
            MDC.remove("request_id");
        }
    }

    private Principal authenticate(HttpServletRequest request, String path) {
        try {
            return authenticator.authenticate(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
        } catch (GatewayException e) {
            if ("authentication_required".equals(e.code()) && (path.equals("/mcp") || path.startsWith("/mcp/"))) {
                // MCP clients take only API keys (an access token is refused there): name the one header that works
                throw GatewayException.unauthenticated("authentication_required",
                        "the MCP server takes an API key (aimp_sk_...) in the X-API-Key header; set it in the MCP client's headers");
            }
            throw e;
        }
    }

    private void checkHeaders(HttpServletRequest request) {
        long total = 0;
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                total += name.length() + values.nextElement().length() + 4;
            }
        }
        if (total > maxHeaders) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "headers_too_large",
                    "request headers total " + total + " bytes; the limit is " + maxHeaders).status(431).build();
        }
    }

    static GatewayException tooLarge(long limit) {
        return GatewayException.of(ErrorCategory.INVALID_REQUEST, "payload_too_large",
                "the request body is larger than the limit of " + limit + " bytes").status(413).build();
    }

    private void logAccess(HttpServletRequest request, HttpServletResponse response, Principal principal, long start) {
        // the route pattern, never the raw path: paths may carry tokens (upload URLs)
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String route = pattern != null ? pattern.toString() : "(unmatched)";
        double ms = (System.nanoTime() - start) / 1_000_000.0;
        if (access.isInfoEnabled()) {
            access.info("method={} route={} status={} latency_ms={} workspace={} key={}",
                    request.getMethod(), route, response.getStatus(), String.format("%.3f", ms),
                    principal == null ? "-" : principal.workspaceId(),
                    principal == null || principal.keyPrefix() == null ? "-" : principal.keyPrefix());
        }
    }
}
