package io.aimp.gateway.auth;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import io.aimp.gateway.support.AccessTokens;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestAccounts.Member;
import io.aimp.gateway.support.TestAccounts.Session;
import io.aimp.gateway.support.TestSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every authentication rule, over HTTP against the running gateway. Each refusal is checked for its
 * status, problem JSON content type, {@code code} and {@code category}.
 */
@CheckedAgainstOpenApi
class AuthenticationTest extends GatewayHttpTest {

    /**
     * This node forgets a revoked key or ended session at once; other nodes within the caches' one-second
     * lifetime. The bound leaves room for a loaded machine: the wait ends as soon as the refusal is seen.
     */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private static void assertUnauthenticated(Response r, String code) {
        assertProblem(r, 401, code, "authentication");
        assertThat(r.header("www-authenticate")).as(r.describe()).contains("X-API-Key");
    }

    private String workspaceId() {
        return owner.get("/api/status/auth").json().path("workspace").path("id").asString();
    }

    @Nested
    class ApiKeys {

        @Test
        void should_accept_a_valid_key_in_x_api_key() {
            Response r = owner.get("/api/status/auth");

            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.get("principal_type")).isEqualTo("api_key");
            assertThat(r.get("role")).isEqualTo("owner");
            assertThat(r.get("key_prefix")).isEqualTo(OWNER_KEY.substring(0, 12));
        }

        @Test
        void should_require_credentials_on_every_non_public_route() {
            for (String path : new String[] {"/api/status/auth", "/api/keys", "/api/members", "/api/workspaces",
                    "/api/status/permissions", "/api/no-such-route"}) {
                assertUnauthenticated(anonymous.get(path), "authentication_required");
            }
        }

        @Test
        void should_refuse_an_api_key_sent_as_bearer_and_say_where_it_belongs() {
            JsonNode body = assertProblem(anonymous.withBearer(OWNER_KEY).get("/api/status/auth"),
                    401, "api_key_as_bearer", "authentication");

            assertThat(body.path("detail").asString()).contains("X-API-Key");
        }

        @Test
        void should_refuse_an_access_token_sent_as_api_key() {
            Member m = accounts.member("developer");
            Session s = TestAccounts.login(anonymous, m);

            Response r = anonymous.withKey(s.accessToken()).get("/api/status/auth");

            JsonNode body = assertProblem(r, 401, "access_token_as_api_key", "authentication");
            assertThat(body.path("detail").asString()).contains("Authorization: Bearer");
        }

        @Test
        void should_refuse_malformed_and_unknown_keys() {
            for (String key : new String[] {"garbage", "aimp_sk_short", "aimp_sk_" + "!".repeat(43),
                    TestSecrets.apiKey(), OWNER_KEY.substring(0, OWNER_KEY.length() - 1) + "x", "aimp_sk_" + "a".repeat(65)}) {
                assertUnauthenticated(anonymous.withKey(key).get("/api/status/auth"), "invalid_api_key");
            }
        }

        @Test
        void should_refuse_a_revoked_key() {
            TestAccounts.Key key = accounts.key("developer");
            assertThat(anonymous.withKey(key.secret()).get("/api/status/auth").status()).isEqualTo(200);

            Response revoked = owner.delete("/api/keys/" + key.id());
            assertThat(revoked.status()).as(revoked.describe()).isEqualTo(200);
            assertThat(revoked.get("revoked_at")).isNotNull();

            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertUnauthenticated(anonymous.withKey(key.secret()).get("/api/status/auth"), "invalid_api_key"));
        }

        @Test
        void should_refuse_an_expired_key() {
            TestAccounts.Key key = accounts.key(Map.of("name", "short-lived", "role", "member",
                    "expires_at", Instant.now().plusSeconds(5).toString()));
            assertThat(anonymous.withKey(key.secret()).get("/api/status/auth").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertUnauthenticated(anonymous.withKey(key.secret()).get("/api/status/auth"), "api_key_expired"));
        }

        @Test
        void should_refuse_a_key_that_expires_in_the_past() {
            Response r = owner.post("/api/keys", Map.of("name", "past", "expires_at", Instant.now().minusSeconds(5).toString()));

            assertProblem(r, 400, "invalid_expiry", "invalid_request");
        }

        @Test
        void should_refuse_both_credentials_at_once() {
            Member m = accounts.member("developer");
            Session s = TestAccounts.login(anonymous, m);

            assertUnauthenticated(owner.withBearer(s.accessToken()).get("/api/status/auth"), "ambiguous_credentials");
        }

        @Test
        void should_refuse_other_authorization_schemes() {
            assertUnauthenticated(anonymous.withHeader("Authorization", "Basic b3duZXI6cGFzc3dvcmQ=").get("/api/keys"),
                    "unsupported_authorization");
        }
    }

    @Nested
    class Sessions {

        @Test
        void should_sign_in_and_accept_the_access_token_as_bearer() {
            Member m = accounts.member("admin");
            Session s = TestAccounts.login(anonymous, m);

            Response r = anonymous.withBearer(s.accessToken()).get("/api/status/auth");

            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.get("principal_type")).isEqualTo("user");
            assertThat(r.get("user_id")).isEqualTo(m.userId());
            assertThat(r.get("role")).isEqualTo("admin");
            assertThat(s.response().get("token_type")).isEqualTo("Bearer");
            assertThat(s.refreshToken()).startsWith("aimp_rt_");
        }

        @Test
        void should_refuse_a_wrong_password() {
            Member m = accounts.member("member");

            Response r = anonymous.post("/api/auth/login", Map.of("email", m.email(), "password", m.password() + "x"));

            assertUnauthenticated(r, "invalid_credentials");
        }

        @Test
        void should_refuse_an_unknown_account_like_a_wrong_password() {
            Response r = anonymous.post("/api/auth/login", Map.of("email", TestSecrets.email("nobody"), "password", "whatever-password"));

            assertUnauthenticated(r, "invalid_credentials");
        }

        @Test
        void should_rate_limit_sign_in_attempts_per_account() {
            // the bucket's arithmetic is LoginLimiterTest's (on a test clock); here: it guards the real route
            Member m = accounts.member("member");
            Map<String, String> wrong = Map.of("email", m.email(), "password", "not-the-password");
            for (int i = 0; i < 10; i++) {
                assertUnauthenticated(anonymous.post("/api/auth/login", wrong), "invalid_credentials");
            }

            // the right password is refused too once the attempts are used up; a slow machine may have earned
            // an attempt back meanwhile (one per 6 s), so the refusal comes within a few more tries
            Map<String, String> right = Map.of("email", m.email(), "password", m.password());
            Response limited = null;
            for (int i = 0; i < 20 && (limited == null || limited.status() != 429); i++) {
                limited = anonymous.post("/api/auth/login", right);
            }

            assertProblem(limited, 429, "rate_limited", "limit");
            assertThat(limited.header("retry-after")).as(limited.describe()).matches("[1-9][0-9]*");
            // another account is not affected
            Member other = accounts.member("member");
            TestAccounts.login(anonymous, other);
        }

        @Test
        void should_rotate_refresh_tokens_and_end_the_family_when_a_rotated_token_is_reused() {
            Member m = accounts.member("developer");
            Session first = TestAccounts.login(anonymous, m);

            Response rotated = anonymous.post("/api/auth/refresh", Map.of("refresh_token", first.refreshToken()));
            assertThat(rotated.status()).as(rotated.describe()).isEqualTo(200);
            String secondRefresh = rotated.get("refresh_token");
            String secondAccess = rotated.get("access_token");
            assertThat(secondRefresh).isNotEqualTo(first.refreshToken());
            assertThat(anonymous.withBearer(secondAccess).get("/api/status/auth").status()).isEqualTo(200);

            Response reused = anonymous.post("/api/auth/refresh", Map.of("refresh_token", first.refreshToken()));

            assertUnauthenticated(reused, "refresh_token_reused");
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of("refresh_token", secondRefresh)),
                    "invalid_refresh_token");
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertUnauthenticated(anonymous.withBearer(secondAccess).get("/api/status/auth"), "session_ended");
                assertUnauthenticated(anonymous.withBearer(first.accessToken()).get("/api/status/auth"), "session_ended");
            });
        }

        @Test
        void should_refuse_refresh_and_access_tokens_after_logout() {
            Member m = accounts.member("developer");
            Session s = TestAccounts.login(anonymous, m);

            Response out = anonymous.post("/api/auth/logout", Map.of("refresh_token", s.refreshToken()));

            assertThat(out.status()).as(out.describe()).isEqualTo(204);
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of("refresh_token", s.refreshToken())),
                    "invalid_refresh_token");
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertUnauthenticated(anonymous.withBearer(s.accessToken()).get("/api/status/auth"), "session_ended"));
        }

        @Test
        void should_keep_the_refresh_token_in_an_http_only_cookie_when_asked_and_rotate_and_clear_it() {
            Member m = accounts.member("developer");
            Response login = anonymous.post("/api/auth/login", Map.of("email", m.email(), "password", m.password(), "cookie", true));

            assertThat(login.status()).as(login.describe()).isEqualTo(200);
            assertThat(login.json().path("refresh_token").isNull()).as(login.describe()).isTrue();
            assertThat(login.get("access_token")).isNotBlank();
            String cookie = login.header("set-cookie");
            assertThat(cookie).startsWith("aimp_refresh=aimp_rt_").contains("; Path=/api/auth", "; Secure", "; HttpOnly",
                    "; SameSite=Strict", "; Max-Age=" + login.json().path("refresh_expires_in").asLong());
            String first = cookie.substring("aimp_refresh=".length(), cookie.indexOf(';'));

            // refresh with the cookie and no token in the body: a rotated token comes back in the cookie
            Response refreshed = anonymous.withHeader("Cookie", "aimp_refresh=" + first).post("/api/auth/refresh", Map.of());
            assertThat(refreshed.status()).as(refreshed.describe()).isEqualTo(200);
            assertThat(refreshed.json().path("refresh_token").isNull()).isTrue();
            String second = refreshed.header("set-cookie").substring("aimp_refresh=".length(), refreshed.header("set-cookie").indexOf(';'));
            assertThat(second).startsWith("aimp_rt_").isNotEqualTo(first);
            assertThat(anonymous.withBearer(refreshed.get("access_token")).get("/api/status/auth").get("user_id")).isEqualTo(m.userId());

            // only on a JSON request: a form post carrying the cookie is refused and rotates nothing
            Response form = anonymous.withHeader("Cookie", "aimp_refresh=" + second)
                    .send("POST", "/api/auth/refresh", "application/x-www-form-urlencoded", "cookie=true".getBytes());
            assertThat(form.status()).as(form.describe()).isBetween(400, 499);
            assertThat(form.header("set-cookie")).isNull();

            // logout with the cookie ends the session and clears the cookie
            Response out = anonymous.withHeader("Cookie", "aimp_refresh=" + second).post("/api/auth/logout", Map.of());
            assertThat(out.status()).as(out.describe()).isEqualTo(204);
            assertThat(out.header("set-cookie")).startsWith("aimp_refresh=;").contains("Max-Age=0", "Path=/api/auth");
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of("refresh_token", second)), "invalid_refresh_token");
            // no cookie and no token: refused like an unknown token
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of()), "invalid_refresh_token");
        }

        @Test
        void should_answer_the_refresh_token_in_the_body_without_a_cookie_unless_asked() {
            Member m = accounts.member("member");
            Session s = TestAccounts.login(anonymous, m);
            assertThat(s.response().header("set-cookie")).isNull();
            Response refreshed = anonymous.post("/api/auth/refresh", Map.of("refresh_token", s.refreshToken()));
            assertThat(refreshed.status()).as(refreshed.describe()).isEqualTo(200);
            assertThat(refreshed.get("refresh_token")).startsWith("aimp_rt_");
            assertThat(refreshed.header("set-cookie")).isNull();
        }

        @Test
        void should_refuse_unknown_refresh_tokens() {
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of("refresh_token", "aimp_rt_" + TestSecrets.base62(43))),
                    "invalid_refresh_token");
            assertUnauthenticated(anonymous.post("/api/auth/refresh", Map.of("refresh_token", OWNER_KEY)),
                    "invalid_refresh_token");
        }
    }

    @Nested
    class ForgedAccessTokens {

        private AccessTokens tokens(Member m) {
            return AccessTokens.forGateway(SECRET_KEY, PUBLIC_URL).user(m.userId(), workspaceId());
        }

        @Test
        void should_accept_a_correctly_signed_token_which_proves_the_forgery_matches_the_gateway() {
            Member m = accounts.member("member");

            Response r = anonymous.withBearer(tokens(m).sign()).get("/api/status/auth");

            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.get("user_id")).isEqualTo(m.userId());
        }

        @Test
        void should_refuse_an_expired_token() {
            Member m = accounts.member("member");
            String expired = tokens(m).expiresAt(System.currentTimeMillis() - 60_000).sign();

            assertUnauthenticated(anonymous.withBearer(expired).get("/api/status/auth"), "access_token_expired");
        }

        @Test
        void should_refuse_tampered_unsigned_misaddressed_and_wrongly_signed_tokens() {
            Member m = accounts.member("member");
            Map<String, String> forged = Map.of(
                    "tampered signature", tokens(m).tampered(),
                    "alg none", tokens(m).unsigned(),
                    "wrong audience", tokens(m).audience("someone-else").sign(),
                    "wrong issuer", tokens(m).issuer("http://evil.test").sign(),
                    "HS512", tokens(m).algorithm(JWSAlgorithm.HS512).sign(),
                    "other key", tokens(m).signedWith(TestSecrets.base62(32).getBytes()).sign(),
                    "not a JWT", "eyJhbGciOiJIUzI1NiJ9.e30",
                    "garbage", "x".repeat(40));

            forged.forEach((what, token) -> {
                Response r = anonymous.withBearer(token).get("/api/status/auth");
                assertThat(r.status()).as(what + ": " + r.describe()).isEqualTo(401);
                assertUnauthenticated(r, "invalid_access_token");
            });
        }

        @Test
        void should_refuse_a_token_for_a_workspace_the_user_is_not_in() {
            Member m = accounts.member("member");
            String token = AccessTokens.forGateway(SECRET_KEY, PUBLIC_URL).user(m.userId(), "ws_elsewhere").sign();

            assertUnauthenticated(anonymous.withBearer(token).get("/api/status/auth"), "session_ended");
        }
    }

    @Nested
    class Roles {

        @Test
        void should_forbid_a_viewer_key_to_create_keys() {
            TestAccounts.Key viewer = accounts.key("viewer");

            Response r = anonymous.withKey(viewer.secret()).post("/api/keys", Map.of("name", "nope"));

            assertProblem(r, 403, "permission_denied", "permission");
        }

        @Test
        void should_forbid_an_admin_to_mint_an_owner_key() {
            TestAccounts.Key admin = accounts.key("admin");

            Response r = anonymous.withKey(admin.secret()).post("/api/keys", Map.of("name", "escalate", "role", "owner"));

            assertProblem(r, 403, "role_above_creator", "permission");
        }

        @Test
        void should_let_an_admin_mint_keys_up_to_its_own_role() {
            TestAccounts.Key admin = accounts.key("admin");

            Response r = anonymous.withKey(admin.secret()).post("/api/keys", Map.of("name", "ok", "role", "admin"));

            assertThat(r.status()).as(r.describe()).isEqualTo(201);
        }

        @Test
        void should_forbid_an_admin_to_grant_the_owner_role_to_a_member() {
            Member admin = accounts.member("admin");
            Member target = accounts.member("member");
            Session s = TestAccounts.login(anonymous, admin);

            Response r = anonymous.withBearer(s.accessToken()).patch("/api/members/" + target.userId(), Map.of("role", "owner"));

            assertProblem(r, 403, "role_above_caller", "permission");
        }

        @Test
        void should_answer_public_routes_without_credentials() {
            Response status = anonymous.get("/api/status");
            Response openapi = anonymous.get("/api/openapi.json");

            assertThat(status.status()).as(status.describe()).isEqualTo(200);
            assertThat(status.get("status")).isEqualTo("ok");
            assertThat(openapi.status()).as(openapi.describe()).isEqualTo(200);
            assertThat(openapi.json().has("openapi")).isTrue();
        }

        @Test
        void should_require_admin_for_prometheus_metrics() {
            TestAccounts.Key developer = accounts.key("developer");
            TestAccounts.Key admin = accounts.key("admin");

            assertUnauthenticated(anonymous.get("/api/admin/prometheus"), "authentication_required");
            assertProblem(anonymous.withKey(developer.secret()).get("/api/admin/prometheus"), 403, "permission_denied", "permission");
            Response ok = anonymous.withKey(admin.secret()).get("/api/admin/prometheus");
            assertThat(ok.status()).as(ok.describe()).isEqualTo(200);
            assertThat(ok.text()).contains("jvm_");
        }
    }
}
