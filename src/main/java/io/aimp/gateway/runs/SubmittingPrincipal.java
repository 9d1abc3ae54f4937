package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Authenticator;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import org.springframework.stereotype.Component;

/**
 * Re-reads the principal that submitted queued or background work (async runs, bulk items and the
 * nested runs they make) when the work executes (DESIGN §2). Only the identity is stored with the
 * work (principal type, workspace, user id, key id); the role and the key's model allowlist are read
 * again here, by the rules of authentication, so work never runs with more rights than its submitter
 * has now.
 */
@Component
public class SubmittingPrincipal {

    private final Authenticator authenticator;

    SubmittingPrincipal(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * @param principalType the stored wire name ({@code api_key} or {@code user})
     * @throws GatewayException (permission, 403, {@code principal_revoked}) when the key was revoked or
     *                          expired, or the user (for a key: its creator) left the workspace
     */
    public Principal reread(String principalType, String workspaceId, String userId, String keyId) {
        Principal.Type type = "user".equals(principalType) ? Principal.Type.USER : Principal.Type.API_KEY;
        return authenticator.current(type, workspaceId, userId, keyId).orElseThrow(() -> revoked(type));
    }

    static GatewayException revoked(Principal.Type type) {
        return GatewayException.forbidden("principal_revoked", type == Principal.Type.USER
                ? "the user who submitted this work is no longer a member of the workspace; it was not executed and nothing was charged"
                : "the API key that submitted this work was revoked or has expired, or its creator is no longer a member of "
                        + "the workspace; it was not executed and nothing was charged");
    }
}
