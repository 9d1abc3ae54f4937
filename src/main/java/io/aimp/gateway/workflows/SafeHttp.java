package io.aimp.gateway.workflows;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.EgressException;
import io.aimp.gateway.egress.EgressPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code http} block's outbound calls, through the egress client with the block's policy: hosts
 * on {@code aimp.workflows.http.allowed-hosts} only, no redirect followed (a 3xx fails the block),
 * the block's timeout, and an answer larger than the cap fails the block rather than being cut.
 */
final class SafeHttp {

    static final String ALLOWLIST = "aimp.workflows.http.allowed-hosts";

    private final EgressClient client;

    SafeHttp(WorkflowProperties.Http settings) {
        this(new EgressClient(policy(settings)));
    }

    SafeHttp(EgressClient client) {
        this.client = client;
    }

    record Response(int status, String body) {
    }

    static EgressPolicy policy(WorkflowProperties.Http settings) {
        return EgressPolicy.of(ALLOWLIST, settings.allowedHosts(), 0, settings.timeout(), settings.maxResponseBytes());
    }

    /**
     * Checks a URL from a catalog file: scheme and allowlisted host name.
     *
     * @throws IllegalArgumentException with the reason
     */
    static void checkConfigured(String url, WorkflowProperties.Http settings) {
        try {
            new EgressClient(policy(settings)).check(url);
        } catch (EgressException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * @throws GatewayException {@code configuration} when the URL or its addresses are not allowed,
     *         {@code execution} when the call fails or answers with a redirect, an error status or
     *         more than the cap
     */
    Response call(String url, String method, Map<String, String> headers, String body) {
        EgressClient.Response r;
        try {
            r = client.send(method, url, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        } catch (EgressException e) {
            if (e.reason() == EgressException.Reason.REFUSED) {
                throw GatewayException.of(ErrorCategory.CONFIGURATION, "http_not_allowed",
                        "the http block's call is refused: " + e.getMessage()).build();
            }
            throw failed("the http block's call failed: " + e.getMessage());
        }
        if (r.truncated()) {
            throw failed("the http block's response is larger than " + r.body().length + " bytes");
        }
        if (r.status() >= 300) {
            throw failed("the http block's call answered HTTP " + r.status() + (r.status() < 400 ? " (redirects are not followed)" : ""));
        }
        return new Response(r.status(), new String(r.body(), StandardCharsets.UTF_8));
    }

    private static GatewayException failed(String detail) {
        return GatewayException.of(ErrorCategory.EXECUTION, "http_call_failed", detail).status(502).build();
    }
}
