package io.aimp.gateway.auth;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestAccounts.Member;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing crosses workspaces: keys and members of workspace A cannot see, change or revoke those of
 * workspace B (and the other way round); another workspace's object answers 404, like a missing one.
 */
@CheckedAgainstOpenApi
class WorkspaceIsolationTest extends GatewayHttpTest {

    private GatewayClient a;
    private GatewayClient b;
    private String workspaceB;
    private TestAccounts.Key keyOfB;
    private Member memberOfBOnly;

    /** Given an owner of A who creates B, a key in B and a member who belongs to B only. */
    @BeforeEach
    void twoWorkspaces() {
        Member founder = accounts.member("owner");
        TestAccounts.Session inA = TestAccounts.login(anonymous, founder);
        Response created = anonymous.withBearer(inA.accessToken()).post("/api/workspaces", Map.of("name", "Workspace B"));
        assertThat(created.status()).as(created.describe()).isEqualTo(201);
        assertThat(created.get("role")).isEqualTo("owner");
        workspaceB = created.get("id");

        TestAccounts.Session inB = TestAccounts.login(anonymous, founder.email(), founder.password(), workspaceB);
        assertThat(inB.workspaceId()).isEqualTo(workspaceB);
        TestAccounts inBAccounts = new TestAccounts(anonymous.withBearer(inB.accessToken()));
        TestAccounts.Key adminOfB = inBAccounts.key("admin");
        keyOfB = inBAccounts.key("developer");
        memberOfBOnly = inBAccounts.member("member");
        a = owner;
        b = anonymous.withKey(adminOfB.secret());
    }

    @Test
    void should_answer_404_for_a_key_of_another_workspace() {
        assertProblem(a.get("/api/keys/" + keyOfB.id()), 404, "not_found", "invalid_request");
        assertProblem(a.delete("/api/keys/" + keyOfB.id()), 404, "not_found", "invalid_request");

        assertThat(anonymous.withKey(keyOfB.secret()).get("/api/status/auth").status()).isEqualTo(200);
        assertThat(b.get("/api/keys/" + keyOfB.id()).get("revoked_at")).isNull();
    }

    @Test
    void should_answer_404_for_a_member_of_another_workspace() {
        assertProblem(a.patch("/api/members/" + memberOfBOnly.userId(), Map.of("role", "viewer")), 404, "not_found", "invalid_request");
        assertProblem(a.delete("/api/members/" + memberOfBOnly.userId()), 404, "not_found", "invalid_request");

        Response inB = b.get("/api/members");
        assertThat(ids(inB, "user_id")).contains(memberOfBOnly.userId());
        assertThat(inB.json().path("data").valueStream().filter(m -> m.path("user_id").asString().equals(memberOfBOnly.userId()))
                .findFirst().orElseThrow().path("role").asString()).isEqualTo("member");
    }

    @Test
    void should_never_list_another_workspaces_keys_members_or_workspace() {
        assertThat(ids(a.get("/api/keys?include_revoked=true"), "id")).doesNotContain(keyOfB.id());
        assertThat(ids(a.get("/api/members"), "user_id")).doesNotContain(memberOfBOnly.userId());
        assertThat(ids(a.get("/api/workspaces"), "id")).doesNotContain(workspaceB);

        String ownerKeyId = a.get("/api/status/auth").get("key_id");
        assertThat(ids(b.get("/api/keys?include_revoked=true"), "id")).contains(keyOfB.id()).doesNotContain(ownerKeyId);
        assertThat(ids(b.get("/api/workspaces"), "id")).containsExactly(workspaceB);
    }

    @Test
    void should_keep_workspace_b_out_of_workspace_a_too() {
        String ownerKeyId = a.get("/api/status/auth").get("key_id");
        Member memberOfAOnly = accounts.member("viewer");

        assertProblem(b.get("/api/keys/" + ownerKeyId), 404, "not_found", "invalid_request");
        assertProblem(b.delete("/api/keys/" + ownerKeyId), 404, "not_found", "invalid_request");
        assertProblem(b.delete("/api/members/" + memberOfAOnly.userId()), 404, "not_found", "invalid_request");
        assertThat(ids(b.get("/api/members"), "user_id")).doesNotContain(memberOfAOnly.userId());
        assertThat(a.get("/api/status/auth").status()).isEqualTo(200);
    }

    @Test
    void should_not_sign_a_member_into_a_workspace_it_does_not_belong_to() {
        String workspaceA = a.get("/api/status/auth").json().path("workspace").path("id").asString();

        Response r = anonymous.post("/api/auth/login", Map.of("email", memberOfBOnly.email(),
                "password", memberOfBOnly.password(), "workspace_id", workspaceA));

        assertProblem(r, 404, "not_found", "invalid_request");
    }

    private static List<String> ids(Response list, String field) {
        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        return list.json().path("data").valueStream().map(n -> n.path(field).asString()).toList();
    }
}
