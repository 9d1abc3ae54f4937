package io.aimp.gateway.workflows;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.LazyHttpClient;
import io.aimp.gateway.common.PublicAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Outbound HTTP for the {@code http} block, with SSRF rules: http(s) only, the host must be on the
 * configured allowlist, and every address it resolves to must be public — loopback, private,
 * link-local, unique-local, wildcard, multicast and cloud metadata addresses are refused after DNS
 * resolution. Redirects are never followed and the response is capped.
 * <p>
 * The JDK client resolves the name again when it connects; a DNS answer that changes between the
 * check and the connection (rebinding) is narrowed by checking right before each request, not closed.
 */
final class SafeHttp {

    private final List<String> allowedHosts;
    private final Duration timeout;
    private final int maxBytes;
    private final LazyHttpClient client;

    SafeHttp(WorkflowProperties.Http settings) {
        this.allowedHosts = settings.allowedHosts();
        this.timeout = settings.timeout();
        this.maxBytes = settings.maxResponseBytes();
        this.client = new LazyHttpClient(timeout);
    }

    record Response(int status, String body) {
    }

    /** Checks a URL from a catalog file: scheme and allowlisted host. */
    static URI checkConfigured(String url, List<String> allowedHosts) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry user information");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedHosts.contains(host)) {
            throw new IllegalArgumentException("host '" + host + "' is not on aimp.workflows.http.allowed-hosts");
        }
        return uri;
    }

    /** Whether an address may be called: not loopback, private, link-local, unique-local, wildcard, multicast or metadata. */
    static boolean isPublic(InetAddress a) {
        return PublicAddresses.isPublic(a);
    }

    /**
     * @throws GatewayException {@code configuration} when the URL or its addresses are not allowed,
     *         {@code execution} when the call fails or answers with a redirect or an error status
     */
    Response call(String url, String method, Map<String, String> headers, String body) {
        URI uri;
        try {
            uri = checkConfigured(url, allowedHosts);
        } catch (IllegalArgumentException e) {
            throw refused("the http block's URL " + e.getMessage());
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (!isPublic(a)) {
                    throw refused("the http block's host " + uri.getHost()
                            + " resolves to a loopback, private, link-local or metadata address; it is not called");
                }
            }
        } catch (UnknownHostException e) {
            throw failed("the http block's host " + uri.getHost() + " does not resolve");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(req::header);
        req.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<InputStream> r = client.get().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = r.body()) {
                bytes = in.readNBytes(maxBytes + 1);
            }
            if (bytes.length > maxBytes) {
                throw failed("the http block's response is larger than " + maxBytes + " bytes");
            }
            if (r.statusCode() >= 300) {
                throw failed("the http block's call answered HTTP " + r.statusCode() + (r.statusCode() < 400 ? " (redirects are not followed)" : ""));
            }
            return new Response(r.statusCode(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failed("the http block's call failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("the http block's call was interrupted");
        }
    }

    private static GatewayException refused(String detail) {
        return GatewayException.of(ErrorCategory.CONFIGURATION, "http_not_allowed", detail).build();
    }

    private static GatewayException failed(String detail) {
        return GatewayException.of(ErrorCategory.EXECUTION, "http_call_failed", detail).status(502).build();
    }
}
