package io.aimp.gateway.auth;

/**
 * A permission whose weakest role a workspace may set for itself (the playground's {@code use_playground}), so that
 * what the caller is told it may do ({@code /api/status/permissions}, {@code /api/status/features}) follows the
 * workspace's setting rather than {@link Permission#minimum()}.
 */
public interface WorkspaceRole {

    /** The permission this setting governs. */
    Permission permission();

    /** Whether {@code principal} holds the permission in its workspace now. */
    boolean allows(Principal principal);
}
