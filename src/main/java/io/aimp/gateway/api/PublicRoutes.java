package io.aimp.gateway.api;

import java.util.List;

/**
 * The only routes that answer without a principal. Everything else needs an API key or an access
 * token; keeping the exceptions in one list makes it hard to skip authentication by accident.
 */
final class PublicRoutes {

    private record Route(String method, String path, boolean prefix, String why, boolean streamsBody) {
        Route(String method, String path, boolean prefix, String why) {
            this(method, path, prefix, why, false);
        }

        boolean matches(String m, String p) {
            boolean read = "GET".equals(m) || "HEAD".equals(m);
            boolean methodOk = method.equals(m) || (read && "GET".equals(method));
            return methodOk && (prefix ? p.startsWith(path) : p.equals(path));
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/status", false, "availability probe for load balancers and clients"),
            new Route("POST", "/api/auth/login", false, "exchanges a password for tokens"),
            new Route("POST", "/api/auth/refresh", false, "carries its own refresh token"),
            new Route("POST", "/api/auth/logout", false, "carries its own refresh token"),
            new Route("POST", "/api/auth/invitations/accept", false,
                    "carries its own single-use invitation token (and the invitee's password)"),
            new Route("GET", "/api/openapi.json", false, "the API description"),
            new Route("GET", "/api/openapi.json/", true, "springdoc's grouped documents"),
            new Route("GET", "/api/docs", true, "the browsable API UI (redirects to its assets)"),
            new Route("GET", "/api/swagger-ui/", true, "the browsable API UI's static assets"),
            new Route("GET", "/", false, "console entry page (static)"),
            new Route("GET", "/favicon.ico", false, "browser icon"),
            new Route("GET", "/console", false, "redirects to the console at /console/"),
            new Route("GET", "/console/", true, "console assets (static; the console calls the API with a token)"),
            new Route("PUT", "/api/media/upload/", true,
                    "the upload URL carries its own signed, single-use, expiring token, so a client without the API key"
                            + " can send the bytes; the body is streamed and its size enforced by the handler", true));

    private PublicRoutes() {
    }

    static boolean isPublic(String method, String path) {
        for (Route r : ROUTES) { // on every request: no stream, no lambda
            if (r.matches(method, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the route streams its body itself, with its own size limit, instead of reading a JSON
     * body under the edge's limit (only public routes with their own token qualify).
     */
    static boolean streamsBody(String method, String path) {
        for (Route r : ROUTES) {
            if (r.streamsBody() && r.matches(method, path)) {
                return true;
            }
        }
        return false;
    }
}
