package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.RawHttp;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Canary credentials (an API key, a password, an access token, a refresh token) go through every
 * authentication path, failures included. Neither the log (from start-up on) nor any answer may
 * contain one of them, nor any 16-character piece of one. Only the sign-in answer returns tokens, by
 * design; it is the one answer not checked. This class has its own gateway (own data directory, no
 * secret key, so server secrets are generated) because it revokes its canary key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class CredentialCanaryTest {

    private static final String CANARY_KEY = TestSecrets.apiKey();
    private static final String CANARY_PASSWORD = TestSecrets.password();
    private static final String OWNER_EMAIL = "canary-owner@gateway.test";
    private static final Path DATA_DIR = TestSecrets.tempDir("aimp-canary-test-");
    private static final int WINDOW = 16;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void canaryProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.data-dir", DATA_DIR::toString);
        registry.add("aimp.bootstrap-api-key", () -> CANARY_KEY);
        registry.add("aimp.bootstrap-owner-email", () -> OWNER_EMAIL);
        registry.add("aimp.bootstrap-owner-password", () -> CANARY_PASSWORD);
        registry.add("aimp.sessions.login-attempts-per-minute-per-ip", () -> "100000");
        registry.add("aimp.sessions.login-attempts-per-minute-per-account", () -> "100000");
    }

    private static final byte[] BYTES = "canary".getBytes(StandardCharsets.UTF_8);

    /** A fresh upload URL's token (the init answer carries it by design and is not collected). */
    private static String uploadToken(GatewayClient owner) {
        Response init = owner.post("/api/media/upload/init", Map.of("filename", "canary.txt", "content_type", "text/plain",
                "media_type", "file", "size_bytes", BYTES.length));
        assertThat(init.status()).as(init.describe()).isEqualTo(201);
        String path = java.net.URI.create(init.get("upload_url")).getRawPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The token without its upload id: {@code .<expiry>.<signature>}. */
    private static String signature(String token) {
        return token.substring(token.indexOf('.'));
    }

    @Test
    void should_keep_every_credential_out_of_logs_and_answers(CapturedOutput output) {
        GatewayClient anonymous = new GatewayClient(port);
        GatewayClient owner = anonymous.withKey(CANARY_KEY);
        List<Response> answers = new ArrayList<>();

        // given: a session (its answer carries the tokens by design and is not collected)
        TestAccounts.Session session = TestAccounts.login(anonymous, OWNER_EMAIL, CANARY_PASSWORD, null);
        String jwt = session.accessToken();
        String refresh = session.refreshToken();
        // and a second key, revoked (its creation answer carries its secret by design)
        Response created = owner.post("/api/keys", Map.of("name", "to revoke", "role", "developer"));
        String revokedKey = created.get("secret");
        answers.add(owner.delete("/api/keys/" + created.json().path("key").path("id").asString()));
        // and upload URLs: the signed part of their token is a credential (the upload id before it is not)
        String uploadToken = uploadToken(owner);
        String spentToken = uploadToken(owner);
        List<String> secrets = List.of(CANARY_KEY, CANARY_PASSWORD, jwt, refresh, revokedKey, signature(uploadToken),
                signature(spentToken));

        // when: the credentials pass through every path, right and wrong
        answers.add(owner.get("/api/status/auth"));
        answers.add(anonymous.withBearer(jwt).get("/api/status/auth"));
        answers.add(anonymous.withBearer(CANARY_KEY).get("/api/status/auth"));
        answers.add(anonymous.withHeader("Authorization", "bearer " + CANARY_KEY).get("/api/keys"));
        answers.add(anonymous.withHeader("Authorization", CANARY_KEY).get("/api/keys"));
        answers.add(anonymous.withHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((OWNER_EMAIL + ":" + CANARY_PASSWORD).getBytes(StandardCharsets.UTF_8))).get("/api/keys"));
        answers.add(anonymous.withKey(jwt).get("/api/status/auth"));
        answers.add(anonymous.withKey(refresh).get("/api/status/auth"));
        answers.add(anonymous.withBearer(refresh).get("/api/status/auth"));
        answers.add(owner.withBearer(jwt).get("/api/status/auth"));
        answers.add(anonymous.withKey(CANARY_KEY + "x").get("/api/status/auth"));
        answers.add(anonymous.withKey(CANARY_KEY.substring(0, 40)).get("/api/status/auth"));
        answers.add(anonymous.withKey(CANARY_PASSWORD).get("/api/status/auth"));
        answers.add(anonymous.withKey(revokedKey).get("/api/status/auth"));
        answers.add(anonymous.withBearer(jwt.substring(0, jwt.length() - 3) + "abc").get("/api/status/auth"));
        answers.add(owner.withHeader("X-Request-Id", CANARY_KEY).get("/api/status/auth"));
        answers.add(anonymous.withHeader("X-Request-Id", refresh).get("/api/nope"));
        answers.add(anonymous.get("/api/keys?api_key=" + CANARY_KEY + "&password=" + CANARY_PASSWORD));
        answers.add(owner.get("/api/keys/" + CANARY_KEY));
        answers.add(owner.get("/api/keys?include_revoked=" + CANARY_KEY));
        answers.add(anonymous.post("/api/auth/login", Map.of("email", "nobody@gateway.test", "password", CANARY_PASSWORD)));
        answers.add(anonymous.post("/api/auth/login", Map.of("email", OWNER_EMAIL, "password", CANARY_PASSWORD + "x")));
        answers.add(anonymous.post("/api/auth/login", Map.of("email", CANARY_KEY, "password", CANARY_KEY)));
        answers.add(anonymous.post("/api/auth/login", Map.of("email", OWNER_EMAIL, "password", jwt)));
        answers.add(anonymous.post("/api/auth/login", "{\"email\":\"" + OWNER_EMAIL + "\",\"password\":\"" + CANARY_PASSWORD));
        answers.add(anonymous.post("/api/auth/login", "{\"email\":\"" + OWNER_EMAIL + "\",\"password\":\"" + CANARY_PASSWORD
                + "\",\"password\":\"" + CANARY_KEY + "\"}"));
        answers.add(anonymous.post("/api/auth/login", "{\"email\":\"" + OWNER_EMAIL + "\",\"password\":" + "[\"" + CANARY_PASSWORD + "\"]}"));
        answers.add(anonymous.post("/api/auth/login", "{\"email\":\"" + OWNER_EMAIL + "\",\"password\":\"" + CANARY_PASSWORD
                + "\",\"" + CANARY_KEY + "\":\"" + jwt + "\"}"));
        answers.add(anonymous.post("/api/auth/login", "{\"" + jwt + "\":1}"));
        answers.add(anonymous.post("/api/auth/login", "{\"" + refresh + "\":1}"));
        answers.add(anonymous.send("POST", "/api/auth/login", "text/plain",
                ("password=" + CANARY_PASSWORD + "&api_key=" + CANARY_KEY).getBytes(StandardCharsets.UTF_8)));
        answers.add(anonymous.post("/api/auth/refresh", Map.of("refresh_token", CANARY_KEY)));
        answers.add(anonymous.post("/api/auth/refresh", Map.of("refresh_token", jwt)));
        answers.add(anonymous.post("/api/auth/refresh", "{\"refresh_token\":\"" + refresh + "\",\"refresh_token\":\"" + refresh + "\"}"));
        answers.add(anonymous.post("/api/auth/refresh", "{\"refresh_token\":" + "[\"" + refresh + "\"]}"));
        answers.add(owner.post("/api/keys", "{\"name\":\"" + CANARY_PASSWORD + "\",\"role\":\"" + CANARY_KEY + "\"}"));
        answers.add(owner.post("/api/keys", "{\"name\":\"x\",\"expires_at\":\"" + CANARY_PASSWORD + "\"}"));
        answers.add(owner.post("/api/keys", "{\"name\":\"x\",\"models\":[\"" + CANARY_KEY + "\"]}"));
        answers.add(owner.post("/api/members", Map.of("email", CANARY_KEY, "password", CANARY_PASSWORD)));
        answers.add(owner.patch("/api/members/" + CANARY_KEY, Map.of("role", CANARY_PASSWORD)));
        answers.add(RawHttp.exchange(port, "POST /api/auth/login HTTP/1.1", List.of("Content-Type: application/json",
                "Transfer-Encoding: chunked"), RawHttp.chunked(("{\"email\":\"" + OWNER_EMAIL + "\",\"password\":\""
                + CANARY_PASSWORD + "\u00ff\u0000\"}").getBytes(StandardCharsets.ISO_8859_1), 7)));
        answers.add(anonymous.send("PUT", "/api/media/upload/" + spentToken, "application/octet-stream", BYTES));
        answers.add(anonymous.send("PUT", "/api/media/upload/" + spentToken, "application/octet-stream", BYTES));
        answers.add(anonymous.send("PUT", "/api/media/upload/" + uploadToken + "0", "application/octet-stream", BYTES));
        for (String target : List.of("/api/media/upload/../upload/" + uploadToken, "/api/media/../media/upload/" + uploadToken,
                "/api/media/upload/..%2F" + uploadToken, "/api/media/upload/" + uploadToken + "/../x",
                "/api/../../media/upload/" + uploadToken.replace(".", "%2E"), "/api/media/upload/" + uploadToken + "?t=" + uploadToken,
                "/api/media/upload/%" + uploadToken, "/api/media/upload/" + uploadToken + "/%zz/..;/x")) {
            answers.add(RawHttp.exchange(port, "PUT " + target + " HTTP/1.1", List.of("Content-Type: application/octet-stream",
                    "Content-Length: " + BYTES.length), BYTES));
            answers.add(RawHttp.exchange(port, "GET " + target + " HTTP/1.1", List.of(), new byte[0]));
        }
        answers.add(anonymous.post("/api/auth/logout", Map.of("refresh_token", refresh)));
        answers.add(anonymous.post("/api/auth/refresh", Map.of("refresh_token", refresh)));
        answers.add(anonymous.withBearer(jwt).get("/api/status/auth"));
        answers.add(owner.delete("/api/keys/" + owner.get("/api/status/auth").get("key_id")));
        answers.add(owner.get("/api/status/auth"));

        // then: no answer and no log line carries a secret or a piece of one
        assertThat(answers).hasSizeGreaterThan(40);
        assertThat(answers.getLast().status()).isEqualTo(401);
        String logs = output.getAll();
        // the capture spans start-up (first-start bootstrap) and every request above
        assertThat(logs).contains("first start: created the default workspace")
                .contains("aimp.access").contains("route=/api/auth/login");
        // the disguised upload paths are refused before any framework code could quote them: "../" and "%2F" forms
        // at the edge (PUT and GET of three), the rest by Tomcat itself; where a path is logged anyway,
        // RedactingConverters keeps only the token's id (RedactingConvertersTest)
        assertThat(answers).filteredOn(r -> r.describe().contains("path_not_normalized")).hasSizeGreaterThanOrEqualTo(6);
        for (String secret : secrets) {
            for (int i = 0; i + WINDOW <= secret.length(); i++) {
                String piece = secret.substring(i, i + WINDOW);
                assertThat(logs).as("the log must not contain a piece of a secret").doesNotContain(piece);
                for (Response r : answers) {
                    assertThat(r.describe()).as("an answer must not contain a piece of a secret").doesNotContain(piece);
                }
            }
        }
    }
}
