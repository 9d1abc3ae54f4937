package io.aimp.gateway.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** API keys, stored only as a keyed hash plus a display prefix. */
public interface ApiKeyStore {

    /**
     * @param models allowlist of model slugs/ids, {@code null} for all models
     */
    record ApiKey(String id, String workspaceId, String createdBy, String name, String prefix, String secretHash,
                  Role role, Set<String> models, Long expiresAt, Long lastUsedAt, long createdAt, Long revokedAt) {
    }

    void insert(ApiKey key);

    Optional<ApiKey> findByHash(String secretHash);

    Optional<ApiKey> find(String workspaceId, String id);

    /** Keys of a workspace, newest first, revoked ones included when asked. */
    List<ApiKey> list(String workspaceId, boolean includeRevoked);

    /** Marks a key revoked; false when it does not exist in that workspace or was revoked already. */
    boolean revoke(String workspaceId, String id, long now);

    /** Records last-used times in one batch; each time only moves forward. */
    void touch(java.util.Map<String, Long> lastUsedByKeyId);

    long countActive();
}
