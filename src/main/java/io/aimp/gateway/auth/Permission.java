package io.aimp.gateway.auth;

/**
 * What a principal may do, each with the weakest role that may do it by default ({@link WorkspaceRole}: a workspace
 * may set another for {@code use_playground}).
 */
public enum Permission {
    VIEW_STATUS(Role.VIEWER),
    VIEW_MARKETPLACE(Role.VIEWER),
    VIEW_BILLING(Role.VIEWER),
    VIEW_OWN_RUNS(Role.VIEWER),
    RUN_MODELS(Role.MEMBER),
    UPLOAD_MEDIA(Role.MEMBER),
    USE_PLAYGROUND(Role.DEVELOPER),
    VIEW_OWN_LOGS(Role.DEVELOPER),
    VIEW_ALL_LOGS(Role.ADMIN),
    MANAGE_KEYS(Role.ADMIN),
    MANAGE_MEMBERS(Role.ADMIN),
    MANAGE_KNOWLEDGE_BASES(Role.ADMIN),
    VIEW_METRICS(Role.ADMIN),
    VIEW_LEDGER(Role.ADMIN),
    MANAGE_LIMITS(Role.ADMIN),
    MANAGE_WEBHOOKS(Role.ADMIN),
    /** Sets the weakest role that may use the workspace's playground ({@code use_playground}). */
    MANAGE_PLAYGROUND(Role.ADMIN),
    MANAGE_BILLING(Role.OWNER),
    MANAGE_WORKSPACES(Role.OWNER);

    private final Role minimum;

    Permission(Role minimum) {
        this.minimum = minimum;
    }

    public Role minimum() {
        return minimum;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
