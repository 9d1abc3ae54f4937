package io.aimp.gateway.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Checks recorded HTTP exchanges against the gateway's own OpenAPI document (fetched from
 * {@code /api/openapi.json}) with a request/response validator. Plug {@link #recorder()} into a
 * {@link GatewayClient} with {@link GatewayClient#recording}, drive the API, then call {@link #violations()}.
 */
public final class OpenApiContractCheck {

    /** Parsing the document takes a while; the same document serves every test of a context. */
    private static final java.util.Map<String, OpenApiInteractionValidator> VALIDATORS = new java.util.concurrent.ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<GatewayClient.Exchange> exchanges = new ConcurrentLinkedQueue<>();

    public Consumer<GatewayClient.Exchange> recorder() {
        return exchanges::add;
    }

    public int recorded() {
        return exchanges.size();
    }

    public List<GatewayClient.Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Every exchange that does not match the document, described with the validator's messages. */
    public List<String> violations(GatewayClient anonymous) {
        GatewayClient.Response doc = anonymous.get("/api/openapi.json");
        if (doc.status() != 200) {
            throw new IllegalStateException("no OpenAPI document: " + doc.describe());
        }
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(doc.text(),
                text -> OpenApiInteractionValidator.createForInlineApiSpecification(text).build());
        List<String> violations = new ArrayList<>();
        for (GatewayClient.Exchange e : exchanges) {
            if (outsideTheDocument(e.path())) {
                continue;
            }
            int status = e.response().status();
            // a request the gateway refused may break the document (that is why it was refused); its answer may not
            boolean refused = status >= 400 && status < 500;
            List<ValidationReport.Message> errors = validator.validate(request(e), response(e.response())).getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .filter(m -> !(refused && m.getKey().startsWith("validation.request.")))
                    .filter(m -> !(rawBytes(e) && m.getKey().startsWith("validation.request.body.schema.")))
                    // Accept constrains an answer's body: one without a body (204 DELETE /mcp to a client that sends
                    // MCP's "Accept: application/json, text/event-stream" on every request) meets any
                    .filter(m -> !(e.response().body().length == 0 && m.getKey().equals("validation.request.accept.notAllowed")))
                    .toList();
            if (refused && errors.isEmpty() && !problem(e.response()) && !mcpTransportError(e)) {
                violations.add(e.method() + " " + e.path() + " -> " + status + " without problem JSON: " + abbreviate(e.response().text()));
            }
            if (!errors.isEmpty()) {
                violations.add(e.method() + " " + e.path() + " -> " + status + "\n"
                        + errors.stream().map(m -> "  " + m.getKey() + ": " + m.getMessage()).reduce("", (a, b) -> a + b + "\n")
                        + "  body: " + abbreviate(e.response().text()));
            }
        }
        return violations;
    }

    /** What the document does not describe by design: itself, its UI, the actuator's endpoints, the console. */
    private static boolean outsideTheDocument(String path) {
        return path.startsWith("/api/openapi.json") || path.startsWith("/api/docs") || path.startsWith("/api/swagger-ui")
                || path.startsWith("/api/admin/") || path.equals("/") || path.startsWith("/console");
    }

    /**
     * The upload URL takes any bytes (format binary); the validator would read bytes that look like JSON as
     * JSON and hold them against the string schema.
     */
    private static boolean rawBytes(GatewayClient.Exchange e) {
        return e.method().equals("PUT") && e.path().startsWith("/api/media/upload/");
    }

    /**
     * The MCP transport refuses a posted message with a JSON-RPC error object (application/json), the wire
     * format MCP clients read; the document describes those answers so, and the validator holds them to it.
     */
    private static boolean mcpTransportError(GatewayClient.Exchange e) {
        String type = e.response().contentType();
        return e.method().equals("POST") && e.path().equals("/mcp") && type != null && type.startsWith("application/json")
                && e.response().json().path("error").isObject() && e.response().json().path("jsonrpc").isString();
    }

    /** A refusal answers RFC 9457 problem JSON with the fields every problem carries. */
    private static boolean problem(GatewayClient.Response r) {
        if (r.contentType() == null || !r.contentType().startsWith("application/problem+json")) {
            return false;
        }
        var body = r.json();
        return body.path("type").isString() && body.path("status").asInt() == r.status() && body.path("code").isString()
                && body.path("category").isString() && body.path("request_id").isString() && body.path("detail").isString();
    }

    private static Request request(GatewayClient.Exchange e) {
        URI uri = URI.create(e.path());
        SimpleRequest.Builder b = new SimpleRequest.Builder(e.method(), uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                b.withQueryParam(name, value);
            }
        }
        e.headers().forEach(b::withHeader);
        if (e.body() != null) {
            b.withBody(e.body());
        }
        return b.build();
    }

    private static SimpleResponse response(GatewayClient.Response r) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(r.status());
        r.headers().forEach((name, values) -> b.withHeader(name, values));
        if (r.body().length > 0) {
            b.withBody(r.body());
        }
        return b.build();
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
