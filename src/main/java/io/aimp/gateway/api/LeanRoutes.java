package io.aimp.gateway.api;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.JsonAnswer;
import io.aimp.gateway.common.LeanRoute;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lean path ({@code aimp.http.lean-runs}, on by default): the plain form of a {@link LeanRoute}'s
 * request (today {@code POST /api/runs}) is answered here, first in the filter chain, by the edge's
 * own steps ({@link EdgeFilter#edge}: readiness, request id, limits, path form, authentication, access
 * log) around the route's {@link LeanRoute#answer}, which the route's controller method calls too. No
 * handler-mapping search, no argument resolution, no observation (with Tomcat, Spring MVC's dispatch and
 * Micrometer's request observation were about 40 % of a run's CPU). What both paths answer alike is shared, not
 * copied: the body is read by the API's JSON mapper as the message converter reads it, failures are
 * mapped by {@link ApiExceptionHandler#problemOf} and written by {@link Problems}, answers are framed
 * as {@link SizedJsonConverter} frames them, and the request is recorded in {@code http.server.requests}
 * with the tags the observation gives it.
 *
 * <p>Any other form (another content type or charset, an {@code Accept} that is not plainly JSON, a
 * path in another spelling, another method) goes down the chain to Spring MVC, which answers it as before.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class LeanRoutes implements Filter, SmartInitializingSingleton {

    static final String JSON = "application/json";

    private final EdgeFilter edge;
    private final ObjectProvider<LeanRoute<Principal>> declared;
    private final boolean on;
    private final JsonMapper json;
    private final ObjectReader reader;
    private final Problems problems;
    private final ObjectProvider<MeterRegistry> meters;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();
    /** Empty until every singleton exists: filters are created with the web server, before the routes' services. */
    private volatile List<Bound> routes = List.of();

    LeanRoutes(EdgeFilter edge, ObjectProvider<LeanRoute<Principal>> routes, ApiProperties props, JsonMapper json,
               Problems problems, ObjectProvider<MeterRegistry> meters) {
        this.edge = edge;
        this.declared = routes;
        this.on = props.leanRuns();
        this.json = json;
        this.reader = json.readerFor(JsonNode.class);
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (on) {
            routes = declared.orderedStream().map(Bound::new).toList();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        List<Bound> current = routes;
        Bound route = current.isEmpty() ? null : match(current, (HttpServletRequest) req);
        if (route == null) {
            chain.doFilter(req, res);
            return;
        }
        long start = System.nanoTime();
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        edge.edge(request, response, route);
        record(request, response, route, System.nanoTime() - start);
    }

    private static Bound match(List<Bound> routes, HttpServletRequest request) {
        for (Bound route : routes) {
            if (route.route.path().equals(request.getRequestURI()) && route.route.method().equals(request.getMethod())
                    && plainJson(request.getContentType()) && acceptsJson(request.getHeader("Accept"))) {
                return route;
            }
        }
        return null;
    }

    /** {@code application/json}, with no parameter but {@code charset=UTF-8}. */
    static boolean plainJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        if (semi < 0) {
            return contentType.trim().equalsIgnoreCase(JSON);
        }
        if (!contentType.substring(0, semi).trim().equalsIgnoreCase(JSON)) {
            return false;
        }
        String param = contentType.substring(semi + 1).trim().replace("\"", "");
        return param.equalsIgnoreCase("charset=utf-8");
    }

    /** No {@code Accept}, or a list without parameters (no {@code q}) naming JSON or a range that covers it. */
    static boolean acceptsJson(String accept) {
        if (accept == null) {
            return true;
        }
        if (accept.indexOf(';') >= 0) {
            return false;
        }
        for (String range : accept.split(",")) {
            String r = range.trim();
            if (r.equalsIgnoreCase(JSON) || r.equals("*/*") || r.equalsIgnoreCase("application/*")) {
                return true;
            }
        }
        return false;
    }

    /** {@code http.server.requests}, tagged as Spring's observation tags the same request. */
    private void record(HttpServletRequest request, HttpServletResponse response, Bound route, long nanos) {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry == null) {
            return;
        }
        int status = response.getStatus();
        // the route was reached (pattern known) or the edge refused the request before it (as before routing)
        boolean routed = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) != null;
        int key = status * 2 + (routed ? 1 : 0) + routes.indexOf(route) * 2000;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
                    .tag("error", "none").tag("exception", "none").tag("method", route.route.method())
                    .tag("outcome", outcome(status)).tag("status", Integer.toString(status))
                    .tag("uri", routed ? route.route.path() : "UNKNOWN")
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    /** A route with what the edge hands it after its steps. */
    private final class Bound implements EdgeFilter.Next {

        private final LeanRoute<Principal> route;

        Bound(LeanRoute<Principal> route) {
            this.route = route;
        }

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Principal principal) throws IOException {
            request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, route.path());
            byte[] body;
            try {
                if (principal == null) {
                    throw PrincipalArgumentResolver.unauthenticated();
                }
                JsonAnswer answer = route.answer(principal, read(request), request);
                body = json.writeValueAsBytes(answer.body());
                response.setStatus(answer.status());
                if (answer.headers() != null) {
                    answer.headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
                }
            } catch (Exception e) {
                problems.write(request, response, ApiExceptionHandler.problemOf(e, request));
                return;
            }
            response.setContentType(JSON);
            if (body.length <= SizedJsonConverter.MAX_BUFFERED) {
                response.setContentLength(body.length);
            }
            response.getOutputStream().write(body);
        }

        /** The body as {@code @RequestBody JsonNode} reads it; a missing or unreadable one is refused alike. */
        private JsonNode read(HttpServletRequest request) {
            byte[] bytes;
            int length;
            try {
                // the edge refused a declared length over its limit; the limited stream refuses a longer body
                long declared = request.getContentLengthLong();
                if (declared >= 0) {
                    bytes = new byte[(int) declared];
                    length = request.getInputStream().readNBytes(bytes, 0, bytes.length);
                } else {
                    bytes = request.getInputStream().readAllBytes();
                    length = bytes.length;
                }
            } catch (IOException e) {
                throw ApiExceptionHandler.fromUnreadable(e);
            }
            JsonNode body = length == 0 ? null : reader.readValue(bytes, 0, length);
            if (body == null) {
                throw ApiExceptionHandler.missingBody();
            }
            return body;
        }
    }
}
