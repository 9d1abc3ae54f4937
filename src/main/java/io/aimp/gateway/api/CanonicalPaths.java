package io.aimp.gateway.api;

import io.aimp.gateway.common.GatewayException;

/**
 * The edge accepts only request paths that are already in the one form routing sees: what the
 * client sent is what the route matcher matches, so no decision can be taken on one spelling of a
 * path while another spelling is routed. Refused (400 {@code path_not_normalized}), before
 * authentication: path parameters ({@code ;}), any percent-encoding (no route needs one; {@code %2e},
 * {@code %2f}, {@code %5c} and double encodings are how paths are disguised), backslashes, empty
 * segments ({@code //}), dot segments ({@code .}, {@code ..}) and segments ending in a dot. Characters
 * outside letters, digits and {@code - . _ ~ / : @ ! $ & ' ( ) * + , =} are refused too.
 */
final class CanonicalPaths {

    private CanonicalPaths() {
    }

    /** @throws GatewayException (400 {@code path_not_normalized}) unless {@code rawPath} is canonical */
    static void require(String rawPath) {
        String why = problem(rawPath);
        if (why != null) {
            throw GatewayException.invalid("path_not_normalized",
                    "the request path must be sent in its normalized form: " + why);
        }
    }

    /** Why the raw path (without the query) is not canonical, or {@code null} when it is. */
    static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "it must start with '/'";
        }
        int segmentStart = 1;
        for (int i = 1; i <= rawPath.length(); i++) {
            char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
            if (c == '/') {
                String why = segmentProblem(rawPath, segmentStart, i, i == rawPath.length());
                if (why != null) {
                    return why;
                }
                segmentStart = i + 1;
            } else if (!allowed(c)) {
                return switch (c) {
                    case ';' -> "path parameters (';') are not accepted";
                    case '%' -> "percent-encoded characters are not accepted in the path";
                    case '\\' -> "backslashes are not accepted in the path";
                    default -> "the path contains a character that is not accepted";
                };
            }
        }
        return null;
    }

    private static String segmentProblem(String path, int from, int to, boolean last) {
        if (from == to) {
            // an empty last segment is a trailing slash ("/console/"); anywhere else it is "//"
            return last || from == path.length() ? null : "empty segments ('//') are not accepted";
        }
        if (path.charAt(to - 1) == '.') {
            return "'.' and '..' segments and segments ending in '.' are not accepted";
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:@!$&'()*+,=".indexOf(c) >= 0;
    }
}
