package io.aimp.gateway.assistants;

import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressException;
import io.aimp.gateway.egress.EgressPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code http_get} tool: a GET through the egress client with the tool's policy: hosts on
 * {@code aimp.assistants.http-allowed-hosts} only, up to {@value #MAX_REDIRECTS} redirects (each one
 * checked like the first URL), the tool's timeout, and a body cut at the cap (the answer says so).
 */
final class HttpGetTool {

    static final int MAX_REDIRECTS = 3;
    static final String ALLOWLIST = "aimp.assistants.http-allowed-hosts";

    /** A refused or failed fetch; the message is safe to hand to the model. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    record Fetched(int status, String contentType, String body, boolean truncated, String url) {
    }

    private final EgressClient client;

    HttpGetTool(List<String> allowedHosts, Duration timeout, int maxBytes) {
        this(new EgressClient(policy(allowedHosts, timeout, maxBytes)));
    }

    HttpGetTool(EgressClient client) {
        this.client = client;
    }

    static EgressPolicy policy(List<String> allowedHosts, Duration timeout, int maxBytes) {
        return EgressPolicy.of(ALLOWLIST, allowedHosts, MAX_REDIRECTS, timeout, maxBytes);
    }

    Fetched get(String url) {
        EgressClient.Response r;
        try {
            r = client.get(url, Map.of("Accept", "text/*, application/json;q=0.9, */*;q=0.1"));
        } catch (EgressException e) {
            throw new Refused(e.getMessage());
        }
        return new Fetched(r.status(), r.header("Content-Type").orElse(null), new String(r.body(), StandardCharsets.UTF_8),
                r.truncated(), r.url());
    }
}
