package io.aimp.gateway.auth;

import java.util.Optional;

/** Rotating refresh tokens, stored as keyed hashes. A family is one login's chain of rotations. */
public interface RefreshTokenStore {

    record RefreshToken(String id, String familyId, String userId, String workspaceId, String tokenHash,
                        long expiresAt, long createdAt, Long usedAt, Long revokedAt) {
    }

    void insert(RefreshToken token);

    Optional<RefreshToken> findByHash(String tokenHash);

    /** Marks a token used if it was unused and unrevoked; false when someone used it first. */
    boolean markUsed(String id, long now);

    /** Revokes every token of a family (logout, or reuse of a rotated token). */
    void revokeFamily(String familyId, long now);
}
