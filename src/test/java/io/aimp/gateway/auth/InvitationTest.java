package io.aimp.gateway.auth;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestAccounts.Member;
import io.aimp.gateway.support.TestSecrets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Adding members: nobody sets another person's password; an invitation is single-use and expires. */
@CheckedAgainstOpenApi
class InvitationTest extends GatewayHttpTest {

    private static final String ACCEPT = "/api/auth/invitations/accept";

    @Autowired
    Database db;

    private Response accept(String token, String password) {
        return anonymous.post(ACCEPT, Map.of("token", token, "password", password));
    }

    private Response login(String email, String password, String workspaceId) {
        return anonymous.post("/api/auth/login", Map.of("email", email, "password", password, "workspace_id", workspaceId));
    }

    @Test
    void should_refuse_a_password_chosen_by_whoever_adds_the_member() {
        JsonNode body = assertProblem(owner.post("/api/members", Map.of("email", TestSecrets.email("x"),
                "password", TestSecrets.password())), 400, "password_not_accepted", "invalid_request");

        assertThat(body.path("errors").get(0).path("path").asString()).isEqualTo("$.password");
    }

    @Test
    void should_show_the_token_once_and_let_the_invitee_set_the_password_once() {
        String email = TestSecrets.email("invitee");
        Response invited = owner.post("/api/members", Map.of("email", email, "role", "developer"));
        assertThat(invited.status()).as(invited.describe()).isEqualTo(201);
        String token = invited.get("token");
        assertThat(token).startsWith("aimp_inv_");
        assertThat(invited.get("accept_url")).isEqualTo(PUBLIC_URL + "/console/invite#" + token);
        assertThat(invited.get("expires_at")).isNotNull();
        String id = invited.get("id");

        // the token is never shown again
        JsonNode listed = owner.get("/api/invitations").json().path("data").valueStream()
                .filter(i -> i.path("id").asString().equals(id)).findFirst().orElseThrow();
        assertThat(listed.path("token").isNull()).isTrue();
        assertThat(owner.get("/api/invitations").text()).doesNotContain(token);

        String password = TestSecrets.password();
        Response accepted = accept(token, password);
        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(200);
        assertThat(accepted.get("role")).isEqualTo("developer");
        String ws = accepted.get("workspace_id");
        assertThat(login(email, password, ws).status()).isEqualTo(200);

        // single use
        assertProblem(accept(token, TestSecrets.password()), 401, "invalid_invitation", "authentication");
        assertProblem(login(email, "x" + password, ws), 401, "invalid_credentials", "authentication");
        assertThat(owner.get("/api/invitations").text()).doesNotContain(id);
    }

    @Test
    void should_not_let_an_account_made_in_another_workspace_into_this_one() {
        // given: an admin of workspace A invites dana and accepts with a password of their own choosing
        String dana = TestSecrets.email("dana");
        String attackersPassword = TestSecrets.password();
        accounts.accept(accounts.invite(dana, "admin"), attackersPassword);

        // and: Dana owns workspace B... no: the owner of workspace B invites dana
        Member ownerOfB = accounts.member("owner");
        GatewayClient inA = anonymous.withBearer(TestAccounts.login(anonymous, ownerOfB).accessToken());
        String wsB = inA.post("/api/workspaces", Map.of("name", "B")).get("id");
        GatewayClient inB = anonymous.withBearer(TestAccounts.login(anonymous, ownerOfB.email(), ownerOfB.password(), wsB).accessToken());
        Response invitedToB = inB.post("/api/members", Map.of("email", dana, "role", "admin"));
        assertThat(invitedToB.status()).as(invitedToB.describe()).isEqualTo(201);

        // then: the existing account is not in B until the invitation is accepted
        assertProblem(login(dana, attackersPassword, wsB), 404, "not_found", "invalid_request");
        // and: whoever holds B's token cannot set the account's password
        String danasPassword = TestSecrets.password();
        assertProblem(accept(invitedToB.get("token"), danasPassword), 401, "invalid_credentials", "authentication");
        assertProblem(login(dana, danasPassword, wsB), 401, "invalid_credentials", "authentication");
        assertProblem(login(dana, attackersPassword, wsB), 404, "not_found", "invalid_request");

        // and: the account's holder joins B with its own password, which stays what it was
        Response joined = accept(invitedToB.get("token"), attackersPassword);
        assertThat(joined.status()).as(joined.describe()).isEqualTo(200);
        assertThat(joined.get("workspace_id")).isEqualTo(wsB);
        assertThat(login(dana, attackersPassword, wsB).status()).isEqualTo(200);
    }

    @Test
    void should_refuse_expired_revoked_and_unknown_invitations() {
        String expired = accounts.invite(TestSecrets.email("late"), "member");
        db.jdbc().sql("update invitations set expires_at = 1 where token_hash = (select token_hash from invitations"
                + " order by created_at desc limit 1)").update();
        assertProblem(accept(expired, TestSecrets.password()), 401, "invalid_invitation", "authentication");

        Response revoked = owner.post("/api/members", Map.of("email", TestSecrets.email("revoked"), "role", "member"));
        assertThat(owner.delete("/api/invitations/" + revoked.get("id")).status()).isEqualTo(204);
        assertProblem(accept(revoked.get("token"), TestSecrets.password()), 401, "invalid_invitation", "authentication");
        assertProblem(owner.delete("/api/invitations/" + revoked.get("id")), 404, "not_found", "invalid_request");

        assertProblem(accept("aimp_inv_" + TestSecrets.base62(43), TestSecrets.password()), 401, "invalid_invitation", "authentication");
        assertProblem(accept("not-a-token", TestSecrets.password()), 401, "invalid_invitation", "authentication");
    }

    @Test
    void should_refuse_an_invitation_whose_inviter_lost_the_right_to_grant_it() {
        Member admin = accounts.member("admin");
        GatewayClient asAdmin = anonymous.withBearer(TestAccounts.login(anonymous, admin).accessToken());
        String token = new TestAccounts(asAdmin).invite(TestSecrets.email("pending"), "admin");

        owner.patch("/api/members/" + admin.userId(), Map.of("role", "developer"));

        assertProblem(accept(token, TestSecrets.password()), 401, "invalid_invitation", "authentication");
    }

    @Test
    void should_refuse_to_invite_a_member_again_and_a_short_password() {
        Member m = accounts.member("viewer");
        assertProblem(owner.post("/api/members", Map.of("email", m.email())), 409, "already_member", "invalid_request");

        String token = accounts.invite(TestSecrets.email("short"), "member");
        assertProblem(accept(token, "short"), 400, "invalid_password", "invalid_request");
        assertThat(accept(token, TestSecrets.password()).status()).isEqualTo(200);
    }
}
