package io.aimp.gateway.egress;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A URL reduced to what the egress client sends: scheme, normalized host name, port and request
 * target. The host is normalized once (lower case, IDNA to ASCII through {@link IDN}, no trailing
 * dot) and that one spelling is checked against the allowlist, resolved, sent as {@code Host} and as
 * TLS SNI, and matched against the certificate.
 */
record Target(boolean tls, String host, int port, String requestTarget) {

    private static final Pattern LDH_NAME = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    /** A last label a resolver could read as (part of) an IPv4 address: 1.2.3.4, 2130706433, 0x7f.1, 017700000001. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?:.*\\.)?(?:[0-9]+|0x[0-9a-f]*)");

    /**
     * Parses and checks {@code url} against the policy's URL rules (no name look-up).
     *
     * @throws EgressException {@code REFUSED} with the reason
     */
    static Target parse(String url, EgressPolicy policy) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw EgressException.refused("the URL is not valid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw EgressException.refused("only http and https URLs may be called");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw EgressException.refused("the URL has no host");
        }
        if (uri.getRawUserInfo() != null || authority.contains("@")) {
            throw EgressException.refused("URLs with user information are refused");
        }
        String rawHost = uri.getHost();
        int port = uri.getPort();
        if (rawHost == null) {
            // java.net.URI takes a name with non-ASCII letters for a registry authority: split it here
            int colon = authority.lastIndexOf(':');
            if (colon != authority.indexOf(':')) {
                throw EgressException.refused("IP addresses are refused; use a host name on " + policy.allowlistSetting());
            }
            rawHost = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 || colon == authority.length() - 1 ? -1 : parsePort(authority.substring(colon + 1));
        }
        if (rawHost.startsWith("[")) {
            throw EgressException.refused("IP addresses are refused; use a host name on " + policy.allowlistSetting());
        }
        String host = normalize(rawHost);
        if (host == null) {
            throw EgressException.refused("'" + rawHost + "' is not a valid host name");
        }
        if (!policy.allowedHosts().contains(host)) {
            throw EgressException.refused("host " + host + " is not on " + policy.allowlistSetting());
        }
        if (NUMERIC_LABEL.matcher(host).matches()) {
            throw EgressException.refused("IP addresses are refused; use a host name on " + policy.allowlistSetting());
        }
        boolean tls = scheme.equals("https");
        if (port == -1) {
            port = tls ? 443 : 80;
        }
        if (port < 1 || port > 65535) {
            throw EgressException.refused("the URL's port is not valid");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(tls, host, port, ascii(target));
    }

    /** The target of a {@code Location} header, checked like any URL. */
    Target redirect(String location, EgressPolicy policy) {
        URI next;
        try {
            next = new URI(url()).resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw EgressException.refused("the redirect from " + host + " does not name a valid URL");
        }
        return parse(next.toString(), policy);
    }

    boolean sameOrigin(Target other) {
        return tls == other.tls && host.equals(other.host) && port == other.port;
    }

    String hostHeader() {
        return port == (tls ? 443 : 80) ? host : host + ":" + port;
    }

    String url() {
        return (tls ? "https://" : "http://") + hostHeader() + requestTarget;
    }

    /**
     * The one spelling of a host name: lower case, IDNA (ASCII-compatible encoding), no trailing dot;
     * null when it is not a valid DNS host name (underscores, percent signs, empty labels, brackets).
     */
    static String normalize(String raw) {
        String h;
        try {
            h = IDN.toASCII(raw.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.length() <= 253 && LDH_NAME.matcher(h).matches() ? h : null;
    }

    /** An allowlist entry, normalized like a request host (kept as written, in lower case, when it is no host name). */
    static String normalizeListed(String entry) {
        String stripped = entry.strip();
        String h = stripped.isEmpty() ? null : normalize(stripped);
        return h != null ? h : stripped.toLowerCase(Locale.ROOT);
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Integer.parseInt(digits);
    }

    /** Percent-encodes the non-ASCII characters java.net.URI lets through in paths and queries. */
    private static String ascii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7f) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            i = end - 1;
        }
        return out.toString();
    }
}
