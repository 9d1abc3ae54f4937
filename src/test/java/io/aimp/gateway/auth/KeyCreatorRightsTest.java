package io.aimp.gateway.auth;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestAccounts.Member;
import io.aimp.gateway.support.TestSecrets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A key never has more rights than its creator has now: its role is capped by the creator's current
 * role, and it stops working when the creator leaves. Changes made on this node apply to the very
 * next request (no waiting for a cache to expire).
 */
@CheckedAgainstOpenApi
class KeyCreatorRightsTest extends GatewayHttpTest {

    @Autowired
    Authenticator authenticator;

    private Member admin;
    private TestAccounts.Key adminKey;
    private GatewayClient withAdminKey;

    @BeforeEach
    void adminWithKey() {
        admin = accounts.member("admin");
        TestAccounts.Session session = TestAccounts.login(anonymous, admin);
        adminKey = new TestAccounts(anonymous.withBearer(session.accessToken())).key("admin");
        withAdminKey = anonymous.withKey(adminKey.secret());
        assertThat(withAdminKey.get("/api/members").status()).isEqualTo(200);
    }

    @Test
    void should_refuse_the_key_of_a_removed_creator_at_once_and_let_it_do_nothing() {
        // when
        assertThat(owner.delete("/api/members/" + admin.userId()).status()).isEqualTo(204);

        // then: every use of the key is refused, including the moves that would restore its creator
        for (Response r : new Response[] {
                withAdminKey.get("/api/status/auth"),
                withAdminKey.get("/api/members"),
                withAdminKey.post("/api/members", Map.of("email", admin.email(), "role", "admin")),
                withAdminKey.post("/api/keys", Map.of("name", "new admin key", "role", "admin"))}) {
            assertProblem(r, 401, "api_key_creator_not_member", "authentication");
        }
        assertThat(owner.get("/api/invitations").json().path("data").valueStream()
                .noneMatch(i -> i.path("email").asString().equals(admin.email()))).isTrue();
        assertThat(owner.get("/api/keys").json().path("data").valueStream()
                .noneMatch(k -> k.path("name").asString().equals("new admin key"))).isTrue();
    }

    @Test
    void should_act_with_the_creators_current_role_after_a_demotion() {
        // when
        assertThat(owner.patch("/api/members/" + admin.userId(), Map.of("role", "viewer")).status()).isEqualTo(200);

        // then
        Response auth = withAdminKey.get("/api/status/auth");
        assertThat(auth.status()).isEqualTo(200);
        assertThat(auth.get("role")).isEqualTo("viewer");
        assertProblem(withAdminKey.get("/api/members"), 403, "permission_denied", "permission");
        assertProblem(withAdminKey.post("/api/keys", Map.of("name", "x", "role", "viewer")), 403, "permission_denied", "permission");
        // the key keeps its own role on record and gets it back when the creator is promoted again
        assertThat(owner.get("/api/keys/" + adminKey.id()).get("role")).isEqualTo("admin");
        assertThat(owner.patch("/api/members/" + admin.userId(), Map.of("role", "admin")).status()).isEqualTo(200);
        assertThat(withAdminKey.get("/api/status/auth").get("role")).isEqualTo("admin");
    }

    @Test
    void should_keep_a_key_role_below_its_creators_role() {
        TestAccounts.Key viewerKey = new TestAccounts(anonymous.withBearer(TestAccounts.login(anonymous, admin).accessToken()))
                .key(Map.of("name", "low", "role", "viewer"));

        assertThat(owner.patch("/api/members/" + admin.userId(), Map.of("role", "owner")).status()).isEqualTo(200);

        assertThat(anonymous.withKey(viewerKey.secret()).get("/api/status/auth").get("role")).isEqualTo("viewer");
    }

    @Test
    void should_resolve_stored_principals_by_the_same_rules() {
        String ws = withAdminKey.get("/api/status/auth").json().path("workspace").path("id").asString();

        Optional<Principal> key = authenticator.current(Principal.Type.API_KEY, ws, admin.userId(), adminKey.id());
        Optional<Principal> user = authenticator.current(Principal.Type.USER, ws, admin.userId(), null);
        assertThat(key).get().extracting(Principal::role).isEqualTo(Role.ADMIN);
        assertThat(key.get().keyId()).isEqualTo(adminKey.id());
        assertThat(user).get().extracting(Principal::role).isEqualTo(Role.ADMIN);

        owner.patch("/api/members/" + admin.userId(), Map.of("role", "developer"));
        assertThat(authenticator.current(Principal.Type.API_KEY, ws, admin.userId(), adminKey.id()))
                .get().extracting(Principal::role).isEqualTo(Role.DEVELOPER);
        assertThat(authenticator.current(Principal.Type.USER, ws, admin.userId(), null))
                .get().extracting(Principal::role).isEqualTo(Role.DEVELOPER);

        owner.delete("/api/members/" + admin.userId());
        assertThat(authenticator.current(Principal.Type.API_KEY, ws, admin.userId(), adminKey.id())).isEmpty();
        assertThat(authenticator.current(Principal.Type.USER, ws, admin.userId(), null)).isEmpty();
        assertThat(authenticator.current(Principal.Type.API_KEY, "ws_other", admin.userId(), adminKey.id())).isEmpty();
    }

    @Test
    void should_resolve_nothing_for_a_revoked_key() {
        String ws = owner.get("/api/status/auth").json().path("workspace").path("id").asString();
        TestAccounts.Key key = accounts.key("member");
        assertThat(authenticator.current(Principal.Type.API_KEY, ws, null, key.id())).isPresent();

        assertThat(owner.delete("/api/keys/" + key.id()).status()).isEqualTo(200);

        assertThat(authenticator.current(Principal.Type.API_KEY, ws, null, key.id())).isEmpty();
        assertThat(authenticator.current(Principal.Type.API_KEY, ws, null, "key_" + TestSecrets.base62(20))).isEmpty();
    }
}
