package io.aimp.gateway.api;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertAnyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Broken requests of every kind, to a public route and to authenticated ones: each answer is a 4xx
 * problem JSON with a code, never a 5xx, never an HTML page; the gateway keeps answering afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CheckedAgainstOpenApi
class MalformedInputTest extends GatewayHttpTest {

    private static final String LOGIN = "/api/auth/login";
    private static final int ANY_4XX = -1;
    private static final int MIB = 1024 * 1024;

    private record Case(String name, int status, String code, Supplier<Response> request) {
    }

    @TestFactory
    Stream<DynamicTest> should_answer_every_malformed_request_with_a_4xx_problem() {
        List<Case> cases = new ArrayList<>();
        for (String route : List.of(LOGIN, "/api/keys", "/api/members", "/api/workspaces")) {
            GatewayClient c = LOGIN.equals(route) ? anonymous : owner;
            cases.addAll(bodyCases(route, c));
        }
        cases.addAll(otherCases());
        assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Response r = c.request().get();
            assertThat(r.status()).as(c.name() + "\n" + r.describe()).isBetween(400, 499);
            JsonNode body = assertAnyProblem(r);
            if (c.status() != ANY_4XX) {
                assertThat(r.status()).as(c.name() + "\n" + r.describe()).isEqualTo(c.status());
            }
            if (c.code() != null) {
                assertThat(body.path("code").asString()).as(c.name() + "\n" + r.describe()).isEqualTo(c.code());
            }
            assertThat(r.text()).as("no internals in " + c.name()).doesNotContainIgnoringCase("exception")
                    .doesNotContain("at io.aimp").doesNotContain("jackson").doesNotContain("api_keys");
        }));
    }

    /** Body-level breakage, sent to one POST route. */
    private List<Case> bodyCases(String route, GatewayClient c) {
        String p = "POST " + route + ": ";
        byte[] invalidUtf8 = concat("{\"email\":\"a@b.c\",\"password\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}, "\",\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        byte[] rawNul = "{\"email\":\"a\u0000@b.c\",\"name\":\"a\u0000b\",\"password\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] big = bigJson(MIB + 512 * 1024);
        List<Case> cases = new ArrayList<>(List.of(
                new Case(p + "invalid UTF-8 bytes", 400, null, () -> c.json("POST", route, invalidUtf8)),
                new Case(p + "truncated JSON", 400, "malformed_json", () -> c.post(route, "{\"email\":\"a@b.c\",\"password\":\"")),
                new Case(p + "10,000-deep arrays", 400, null, () -> c.post(route, "[".repeat(10_000) + "]".repeat(10_000))),
                new Case(p + "10,000-deep objects in a field", 400, null,
                        () -> c.post(route, "{\"name\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001))),
                new Case(p + "1e999999 as a string field", 400, null, () -> c.post(route, "{\"name\":1e999999,\"email\":1e999999}")),
                new Case(p + "2,000-digit number", 400, null, () -> c.post(route, "{\"name\":" + "9".repeat(2_000) + "}")),
                new Case(p + "duplicate keys", 400, "duplicate_key",
                        () -> c.post(route, "{\"name\":\"a\",\"name\":\"b\",\"email\":\"a@b.c\",\"email\":\"x@y.z\"}")),
                new Case(p + "raw NUL bytes in strings", 400, null, () -> c.json("POST", route, rawNul)),
                new Case(p + "escaped \\u0000 in strings", 400, null,
                        () -> c.post(route, "{\"email\":\"a\\u0000@b.c\",\"name\":\"a\\u0000\",\"password\":\"p\\u0000assword-long\"}")),
                new Case(p + "text/plain content type", 415, "unsupported_media_type",
                        () -> c.send("POST", route, "text/plain", "{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8))),
                new Case(p + "no content type", 415, "unsupported_media_type",
                        () -> c.send("POST", route, null, "{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8))),
                new Case(p + "form content type", 415, "unsupported_media_type",
                        () -> c.send("POST", route, "application/x-www-form-urlencoded", "name=a".getBytes(StandardCharsets.UTF_8))),
                new Case(p + "unknown charset", ANY_4XX, null,
                        () -> c.send("POST", route, "application/json; charset=klingon", "{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8))),
                new Case(p + "body over 1 MiB with Content-Length", 413, "payload_too_large", () -> c.json("POST", route, big)),
                new Case(p + "body over 1 MiB chunked", 413, "payload_too_large", () -> RawHttp.exchange(c.port(),
                        "POST " + route + " HTTP/1.1", withAuth(c, "Content-Type: application/json", "Transfer-Encoding: chunked"),
                        RawHttp.chunked(big, 64 * 1024))),
                new Case(p + "JSON array", 400, null, () -> c.post(route, "[{\"name\":\"a\"}]")),
                new Case(p + "JSON string", 400, null, () -> c.post(route, "\"name\"")),
                new Case(p + "JSON number", 400, null, () -> c.post(route, "42")),
                new Case(p + "JSON null", 400, null, () -> c.post(route, "null")),
                new Case(p + "empty body", 400, null, () -> c.post(route, "")),
                new Case(p + "whitespace body", 400, null, () -> c.post(route, "  \r\n ")),
                new Case(p + "trailing tokens", 400, null, () -> c.post(route, "{\"name\":\"a\"} {\"name\":\"b\"}")),
                new Case(p + "unknown field", 400, "unknown_field", () -> c.post(route, "{\"name\":\"a\",\"is_admin\":true}")),
                new Case(p + "wrong field type", 400, null, () -> c.post(route, "{\"name\":[\"a\"],\"email\":{\"x\":1}}")),
                new Case(p + "single quotes and comments", 400, null, () -> c.post(route, "{'name': 'a' /* hi */}"))));
        return cases;
    }

    private List<Case> otherCases() {
        String longHeader = "x".repeat(8 * 1024);
        return List.of(
                new Case("40 KB of headers (public route)", 431, "headers_too_large", () -> anonymous
                        .withHeader("X-Pad-1", longHeader).withHeader("X-Pad-2", longHeader).withHeader("X-Pad-3", longHeader)
                        .withHeader("X-Pad-4", longHeader).withHeader("X-Pad-5", longHeader).get("/api/status")),
                new Case("40 KB of headers (authenticated route)", 431, "headers_too_large", () -> owner
                        .withHeader("X-Pad-1", longHeader).withHeader("X-Pad-2", longHeader).withHeader("X-Pad-3", longHeader)
                        .withHeader("X-Pad-4", longHeader).withHeader("X-Pad-5", longHeader).get("/api/keys")),
                new Case("POST /api/keys: expires_at 1e999999", 400, null,
                        () -> owner.post("/api/keys", "{\"name\":\"a\",\"expires_at\":1e999999}")),
                new Case("POST /api/keys: expires_at -1e999999", 400, null,
                        () -> owner.post("/api/keys", "{\"name\":\"a\",\"expires_at\":-1e999999}")),
                new Case("POST /api/keys: expires_at not a date", 400, null,
                        () -> owner.post("/api/keys", "{\"name\":\"a\",\"expires_at\":\"tomorrow\"}")),
                new Case("POST /api/keys: expires_at year 999999999", 400, "invalid_expiry",
                        () -> owner.post("/api/keys", "{\"name\":\"a\",\"expires_at\":\"+999999999-12-31T23:59:59Z\"}")),
                new Case("POST /api/keys: unknown role", 400, "invalid_role", () -> owner.post("/api/keys", "{\"name\":\"a\",\"role\":\"god\"}")),
                new Case("POST /api/keys: models as a string", 400, null, () -> owner.post("/api/keys", "{\"name\":\"a\",\"models\":\"gpt\"}")),
                new Case("POST /api/keys: models with null", 400, null, () -> owner.post("/api/keys", "{\"name\":\"a\",\"models\":[null]}")),
                new Case("POST /api/keys: name of 100,000 characters", 400, "invalid_name",
                        () -> owner.post("/api/keys", "{\"name\":\"" + "n".repeat(100_000) + "\"}")),
                new Case("GET /api/keys: bad query parameter type", 400, "invalid_parameter",
                        () -> owner.get("/api/keys?include_revoked=maybe")),
                new Case("GET /api/keys/{id}: id that is not an id", 404, "not_found", () -> owner.get("/api/keys/'or1=1--")),
                new Case("GET /api/keys/{id}: percent-encoded id", 400, "path_not_normalized",
                        () -> owner.get("/api/keys/%27%20or%201=1--")),
                new Case("GET /api/keys/{id}: very long id", 404, "not_found", () -> owner.get("/api/keys/" + "k".repeat(4_000))),
                new Case("PUT /api/keys: wrong method", 405, "method_not_allowed", () -> owner.json("PUT", "/api/keys", "{}")),
                new Case("DELETE /api/keys: wrong method", 405, "method_not_allowed", () -> owner.delete("/api/keys")),
                // only POST /api/auth/login is public: another method meets authentication first
                new Case("GET /api/auth/login without credentials", 401, "authentication_required", () -> anonymous.get(LOGIN)),
                new Case("GET /api/auth/login with a key", 405, "method_not_allowed", () -> owner.get(LOGIN)),
                new Case("GET /api/members: Accept text/html only", ANY_4XX, null,
                        () -> owner.withHeader("Accept", "text/html").get("/api/members")),
                new Case("PATCH /api/members/{id}: role as a number", 400, null,
                        () -> owner.patch("/api/members/usr_x", "{\"role\":5}")),
                new Case("PATCH /api/members/{id}: empty body", 400, null, () -> owner.patch("/api/members/usr_x", "")),
                new Case("PATCH /api/members/{id}: unknown member", 404, "not_found",
                        () -> owner.patch("/api/members/usr_nobody", "{\"role\":\"member\"}")),
                new Case("POST /api/members: not an email", 400, "invalid_email",
                        () -> owner.post("/api/members", "{\"email\":\"not-an-email\"}")),
                new Case("POST /api/members: a password for someone else", 400, "password_not_accepted",
                        () -> owner.post("/api/members", "{\"email\":\"short@gateway.test\",\"password\":\"long-enough-password\"}")),
                new Case("POST /api/auth/invitations/accept: short password", 401, "invalid_invitation",
                        () -> anonymous.post("/api/auth/invitations/accept", "{\"token\":\"aimp_inv_x\",\"password\":\"short\"}")),
                new Case("POST /api/workspaces: blank name", 400, "invalid_name", () -> owner.post("/api/workspaces", "{\"name\":\"  \"}")),
                new Case("GET unknown route with a key", 404, "route_not_found", () -> owner.get("/api/nope")),
                new Case("GET unknown route without a key", 401, "authentication_required", () -> anonymous.get("/api/nope")),
                new Case("GET unknown route outside /api", ANY_4XX, null, () -> owner.get("/wp-admin/setup.php")),
                new Case("raw: invalid UTF-8 in X-API-Key", 401, "invalid_api_key", () -> RawHttp.exchange(port,
                        "GET /api/status/auth HTTP/1.1", List.of("X-API-Key: aimp_sk_\u00ff\u00fe\u00c3"), null)),
                // refused by Tomcat before the application: still problem JSON
                new Case("70 KB of headers (over Tomcat's own limit)", 400, "bad_request", () -> owner
                        .withHeader("X-Pad-1", "x".repeat(35_000)).withHeader("X-Pad-2", "x".repeat(35_000)).get("/api/status")),
                new Case("raw: invalid percent-encoding in the path", 400, null, () -> RawHttp.exchange(port,
                        "GET /api/keys/%ZZ HTTP/1.1", List.of("X-API-Key: " + OWNER_KEY), null)),
                new Case("raw: encoded NUL in the path", 400, null, () -> RawHttp.exchange(port,
                        "GET /api/keys/a%00b HTTP/1.1", List.of("X-API-Key: " + OWNER_KEY), null)),
                new Case("raw: encoded slash in the path", 400, null, () -> RawHttp.exchange(port,
                        "GET /api/keys/a%2Fb HTTP/1.1", List.of("X-API-Key: " + OWNER_KEY), null)),
                new Case("raw: invalid character in the request line", 400, null, () -> RawHttp.exchange(port,
                        "GET /api/st{atus HTTP/1.1", List.of(), null)),
                new Case("raw: unknown Expect", 417, "expectation_failed", () -> RawHttp.exchange(port,
                        "POST " + LOGIN + " HTTP/1.1", List.of("Expect: 100-banana", "Content-Type: application/json",
                                "Content-Length: 2"), "{}".getBytes(StandardCharsets.ISO_8859_1))),
                new Case("raw: chunked body with a bad chunk size", ANY_4XX, null, () -> RawHttp.exchange(port,
                        "POST " + LOGIN + " HTTP/1.1", List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                        "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @AfterAll
    void should_still_answer_afterwards() {
        Response r = anonymous.get("/api/status");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(owner.get("/api/status/auth").status()).isEqualTo(200);
    }

    private static List<String> withAuth(GatewayClient c, String... headers) {
        List<String> out = new ArrayList<>(Arrays.asList(headers));
        if (c.headerValue("X-API-Key") != null) {
            out.add("X-API-Key: " + c.headerValue("X-API-Key"));
        }
        return out;
    }

    private static byte[] bigJson(int size) {
        StringBuilder sb = new StringBuilder(size + 32).append("{\"name\":\"");
        sb.append("a".repeat(size));
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
