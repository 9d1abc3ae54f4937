package io.aimp.gateway.assistants;

import io.aimp.gateway.common.PublicAddresses;
import io.aimp.gateway.common.LazyHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code http_get} tool. A URL is fetched only when all of these hold, checked before any
 * connection and again for every redirect target (at most {@value #MAX_REDIRECTS}; the client never
 * follows one by itself):
 * <ul>
 * <li>scheme {@code http} or {@code https}, no user info;</li>
 * <li>the host is a name on the configured allowlist: IP literals, including the numeric forms some
 * resolvers accept ({@code 2130706433}, {@code 0x7f.1}, {@code 017700000001}), are refused outright;</li>
 * <li>every address the name resolves to is public: not loopback, unspecified, private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 including the 169.254.169.254 metadata
 * address, fe80::/10), shared (100.64/10), multicast, or an IPv4-mapped form of those.</li>
 * </ul>
 * The connection then goes to the name; the JVM's resolver cache (30 s by default) answers that
 * second look-up with the addresses just checked, which narrows a DNS-rebinding window to a cache miss.
 */
final class HttpGetTool {

    static final int MAX_REDIRECTS = 3;

    /** A refused or failed fetch; the message is safe to hand to the model. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    record Fetched(int status, String contentType, String body, boolean truncated, String url) {
    }

    private final Set<String> allowed;
    private final Duration timeout;
    private final int maxBytes;
    private final Function<String, List<InetAddress>> resolver;
    /** Built on the first fetch: most gateways allow no host, and building one costs ~0.1 s of start-up. */
    private final LazyHttpClient client;

    HttpGetTool(List<String> allowedHosts, Duration timeout, int maxBytes) {
        this(allowedHosts, timeout, maxBytes, HttpGetTool::resolve);
    }

    HttpGetTool(List<String> allowedHosts, Duration timeout, int maxBytes, Function<String, List<InetAddress>> resolver) {
        this.allowed = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.resolver = resolver;
        this.client = new LazyHttpClient(timeout);
    }

    Fetched get(String url) {
        URI uri = check(url);
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response;
            try {
                response = client.get().send(HttpRequest.newBuilder(uri).timeout(timeout).GET()
                        .header("Accept", "text/*, application/json;q=0.9, */*;q=0.1").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new Refused("could not fetch " + uri.getHost() + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refused("interrupted");
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                close(response);
                if (hop >= MAX_REDIRECTS) {
                    throw new Refused("more than " + MAX_REDIRECTS + " redirects");
                }
                uri = check(uri.resolve(response.headers().firstValue("Location").get()).toString());
                continue;
            }
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                boolean truncated = bytes.length > maxBytes;
                String body = new String(bytes, 0, Math.min(bytes.length, maxBytes), StandardCharsets.UTF_8);
                return new Fetched(status, response.headers().firstValue("Content-Type").orElse(null), body, truncated,
                        uri.toString());
            } catch (IOException e) {
                throw new Refused("could not read the response of " + uri.getHost());
            }
        }
    }

    /** The URI when it may be fetched; otherwise {@link Refused} with the reason. Resolves the host. */
    URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new Refused("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("only http and https URLs may be fetched");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("URLs with user info are refused");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refused("the URL has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (looksNumeric(host)) {
            throw new Refused("IP addresses are refused; use an allowed host name");
        }
        if (!allowed.contains(host)) {
            throw new Refused("host " + host + " is not on the allowlist (aimp.assistants.http-allowed-hosts)");
        }
        List<InetAddress> addresses = resolver.apply(host);
        if (addresses.isEmpty()) {
            throw new Refused("host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new Refused("host " + host + " resolves to a loopback, private, link-local or metadata address");
            }
        }
        return uri;
    }

    /** IPv6 literals and anything made of digits, dots and hex forms that a resolver could read as an IPv4 address. */
    static boolean looksNumeric(String host) {
        if (host.startsWith("[") || host.contains(":")) {
            return true;
        }
        return host.matches("^(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*$");
    }

    static boolean isPublic(InetAddress a) {
        return PublicAddresses.isPublic(a);
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
