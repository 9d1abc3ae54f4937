package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test data through the public API: members with their own passwords, keys with a role, sign-ins. */
public final class TestAccounts {

    private final GatewayClient admin;

    /** @param admin a client whose principal may manage members and keys of its workspace */
    public TestAccounts(GatewayClient admin) {
        this.admin = admin;
    }

    public record Member(String userId, String email, String password, String role) {
    }

    public record Key(String id, String secret, String role) {
    }

    public record Session(String accessToken, String refreshToken, String workspaceId, GatewayClient.Response response) {
    }

    /** Adds a new account to the admin's workspace with {@code role}: invites it and accepts with its own password. */
    public Member member(String role) {
        String email = TestSecrets.email(role);
        String password = TestSecrets.password();
        GatewayClient.Response accepted = accept(invite(email, role), password);
        return new Member(accepted.get("user_id"), email, password, role);
    }

    /** Invites {@code email} with {@code role}; returns the invitation token (shown once). */
    public String invite(String email, String role) {
        GatewayClient.Response r = admin.post("/api/members", Map.of("email", email, "name", "Test " + role, "role", role));
        assertThat(r.status()).as(r.describe()).isEqualTo(201);
        assertThat(r.get("object")).isEqualTo("invitation");
        return r.get("token");
    }

    /** Accepts an invitation (a new account sets {@code password}; an existing one gives its own); asserts success. */
    public GatewayClient.Response accept(String token, String password) {
        GatewayClient.Response r = new GatewayClient(admin.port()).post("/api/auth/invitations/accept",
                Map.of("token", token, "password", password));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r;
    }

    /** Creates a key with {@code role} in the admin's workspace. */
    public Key key(String role) {
        return key(Map.of("name", "test " + role, "role", role));
    }

    public Key key(Map<String, ?> request) {
        GatewayClient.Response r = admin.post("/api/keys", request);
        assertThat(r.status()).as(r.describe()).isEqualTo(201);
        return new Key(r.json().path("key").path("id").asString(), r.get("secret"), r.json().path("key").path("role").asString());
    }

    /** Signs in (into {@code workspaceId}, or the first workspace when {@code null}); asserts success. */
    public static Session login(GatewayClient anonymous, String email, String password, String workspaceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        if (workspaceId != null) {
            body.put("workspace_id", workspaceId);
        }
        GatewayClient.Response r = anonymous.post("/api/auth/login", body);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return new Session(r.get("access_token"), r.get("refresh_token"), r.get("workspace_id"), r);
    }

    public static Session login(GatewayClient anonymous, Member m) {
        return login(anonymous, m.email(), m.password(), null);
    }
}
