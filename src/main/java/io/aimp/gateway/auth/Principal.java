package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
import java.util.Set;

/**
 * Who is calling, resolved once per request: an API key or a signed-in user, always inside exactly
 * one workspace with one role.
 *
 * @param keyId     the API key's id ({@code null} for a user session)
 * @param keyPrefix the key's display prefix, safe to log ({@code null} for a user session)
 * @param userId    the signed-in user, or the user who created the key
 * @param models    the key's model allowlist (slugs or ids), or {@code null} for every model
 */
public record Principal(Type type, String workspaceId, String userId, String keyId, String keyPrefix,
                        Role role, Set<String> models) {

    public enum Type {
        API_KEY, USER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean can(Permission permission) {
        return role.atLeast(permission.minimum());
    }

    /** Refuses with a 403 that names the role needed. */
    public void require(Permission permission) {
        if (!can(permission)) {
            throw GatewayException.forbidden("permission_denied",
                    "this requires the " + permission.minimum().wireName() + " role or higher; the "
                            + type.wireName().replace('_', ' ') + " has the " + role.wireName() + " role");
        }
    }

    /** Whether the key's allowlist admits a model (known by its slug and its id). */
    public boolean mayUseModel(String slug, String id) {
        return models == null || models.contains(slug) || models.contains(id);
    }
}
