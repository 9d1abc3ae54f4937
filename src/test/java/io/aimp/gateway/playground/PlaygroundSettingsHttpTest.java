package io.aimp.gateway.playground;

import static io.aimp.gateway.playground.PlaygroundCatalog.PROVIDER;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.TestAccounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The weakest role that may use a workspace's playground: developer by default, set by the workspace's admins. */
@CheckedAgainstOpenApi
class PlaygroundSettingsHttpTest extends PlaygroundHttpBase {

    private static final Map<String, Object> COMPARE = Map.of("input", Map.of("text", "x"),
            "targets", List.of(Map.of("model", "pg-alpha"), Map.of("model", "pg-alpha")));

    private static boolean playground(GatewayClient client) {
        return client.get("/api/status/features").json().path("caller").path("playground").asBoolean();
    }

    private static boolean usePlayground(GatewayClient client) {
        return client.get("/api/status/permissions").json().path("permissions").path("use_playground").asBoolean();
    }

    @Test
    void should_let_members_in_once_an_admin_lowers_the_role_and_never_viewers() {
        // given: a workspace with a member, a viewer, a developer and an admin
        Workspace ws = newWorkspace("100");
        TestAccounts team = new TestAccounts(ws.owner());
        GatewayClient member = anonymous.withKey(team.key("member").secret());
        GatewayClient viewer = anonymous.withKey(team.key("viewer").secret());
        GatewayClient developer = anonymous.withKey(team.key("developer").secret());
        GatewayClient admin = anonymous.withKey(team.key("admin").secret());
        PROVIDER.script("pg-a", text("Fine.", 10, 2));

        // by default: developer and up
        Response initial = admin.get("/api/playground/settings");
        assertThat(initial.status()).as(initial.describe()).isEqualTo(200);
        assertThat(initial.get("min_role")).isEqualTo("developer");
        assertThat(initial.json().path("default").asBoolean()).isTrue();
        JsonNode refused = assertProblem(member.post("/api/playground/compare", COMPARE), 403, "permission_denied", "permission");
        assertThat(refused.path("detail").asString()).contains("requires the developer role");
        assertThat(playground(member)).isFalse();
        assertThat(usePlayground(member)).isFalse();
        assertThat(developer.post("/api/playground/compare", COMPARE).status()).isEqualTo(200);

        // a developer may not change it
        assertProblem(developer.json("PUT", "/api/playground/settings", Map.of("min_role", "member")), 403,
                "permission_denied", "permission");
        assertProblem(developer.get("/api/playground/settings"), 403, "permission_denied", "permission");

        // when: the admin opens the playground to members
        Response lowered = admin.json("PUT", "/api/playground/settings", Map.of("min_role", "member"));

        // then: members may use it and are told so; viewers still may not
        assertThat(lowered.status()).as(lowered.describe()).isEqualTo(200);
        assertThat(lowered.get("min_role")).isEqualTo("member");
        assertThat(lowered.json().path("default").asBoolean()).isFalse();
        Response ran = member.post("/api/playground/compare", COMPARE);
        assertThat(ran.status()).as(ran.describe()).isEqualTo(200);
        assertThat(ran.json().path("succeeded").asInt()).isEqualTo(2);
        assertThat(playground(member)).isTrue();
        assertThat(usePlayground(member)).isTrue();
        assertProblem(viewer.post("/api/playground/compare", COMPARE), 403, "permission_denied", "permission");
        assertThat(playground(viewer)).isFalse();
        // other workspaces keep their own setting
        assertProblem(anonymous.withKey(accounts.key("member").secret()).post("/api/playground/compare", COMPARE), 403,
                "permission_denied", "permission");

        // when: it is raised to admin, developers are out
        assertThat(admin.json("PUT", "/api/playground/settings", Map.of("min_role", "admin")).status()).isEqualTo(200);
        assertProblem(developer.post("/api/playground/compare", COMPARE), 403, "permission_denied", "permission");
        assertThat(playground(developer)).isFalse();
        assertThat(playground(admin)).isTrue();

        // when: set back to the default with null
        Map<String, Object> reset = new HashMap<>();
        reset.put("min_role", null);
        Response back = admin.json("PUT", "/api/playground/settings", reset);
        assertThat(back.status()).as(back.describe()).isEqualTo(200);
        assertThat(back.get("min_role")).isEqualTo("developer");
        assertThat(back.json().path("default").asBoolean()).isTrue();
        assertProblem(member.post("/api/playground/compare", COMPARE), 403, "permission_denied", "permission");
    }

    @Test
    void should_refuse_a_role_that_may_not_be_set_naming_the_field() {
        JsonNode viewer = assertProblem(owner.json("PUT", "/api/playground/settings", Map.of("min_role", "viewer")), 400,
                "invalid_playground_settings", "invalid_request");
        assertThat(viewer.path("errors").findValuesAsString("path")).containsExactly("$.min_role");
        assertThat(viewer.path("errors").get(0).path("message").asString()).contains("member, developer, admin, owner");

        JsonNode bad = assertProblem(owner.json("PUT", "/api/playground/settings", Map.of("min_role", "boss", "colour", 1)),
                400, "invalid_playground_settings", "invalid_request");
        assertThat(bad.path("errors").findValuesAsString("path")).containsExactlyInAnyOrder("$.min_role", "$.colour");
        assertProblem(owner.json("PUT", "/api/playground/settings", Map.of()), 400, "invalid_playground_settings",
                "invalid_request");
        assertThat(owner.get("/api/playground/settings").get("min_role")).isEqualTo("developer");
    }
}
