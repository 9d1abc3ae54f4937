package io.aimp.gateway.api;

import java.util.List;

/**
 * The only routes that answer without a principal. Everything else needs an API key or an access
 * token; keeping the exceptions in one list makes it hard to skip authentication by accident.
 */
final class PublicRoutes {

    private record Route(String method, String path, boolean prefix, String why) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/status", false, "availability probe for load balancers and clients"),
            new Route("POST", "/api/auth/login", false, "exchanges a password for tokens"),
            new Route("POST", "/api/auth/refresh", false, "carries its own refresh token"),
            new Route("POST", "/api/auth/logout", false, "carries its own refresh token"),
            new Route("GET", "/api/openapi.json", false, "the API description"),
            new Route("GET", "/api/openapi.json/", true, "springdoc's grouped documents"),
            new Route("GET", "/api/docs", true, "the browsable API UI (redirects to its assets)"),
            new Route("GET", "/api/swagger-ui/", true, "the browsable API UI's static assets"),
            new Route("GET", "/", false, "console entry page (static)"),
            new Route("GET", "/favicon.ico", false, "browser icon"),
            new Route("GET", "/console/", true, "console assets (static; the console calls the API with a token)"));

    private PublicRoutes() {
    }

    static boolean isPublic(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        for (Route r : ROUTES) {
            boolean methodOk = r.method().equals(method) || (read && "GET".equals(r.method()));
            if (methodOk && (r.prefix() ? path.startsWith(r.path()) : path.equals(r.path()))) {
                return true;
            }
        }
        return false;
    }
}
