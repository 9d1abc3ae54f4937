package io.aimp.gateway.auth;

/**
 * Published once per database, when the first start created the default workspace and its owner, for
 * features that set something up for them (the demo knowledge base).
 */
public record FirstStart(String workspaceId, String ownerUserId) {

    /** The owner as a principal of the default workspace, for work the first start does on the owner's behalf. */
    public Principal owner() {
        return new Principal(Principal.Type.USER, workspaceId, ownerUserId, null, null, Role.OWNER, null);
    }
}
