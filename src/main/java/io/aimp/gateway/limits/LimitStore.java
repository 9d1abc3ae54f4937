package io.aimp.gateway.limits;

import java.util.Optional;

/** Stored limit overrides (per workspace, per API key) and the spend that credit caps count. */
public interface LimitStore {

    enum ScopeType { WORKSPACE, KEY }

    Optional<LimitSet> find(ScopeType type, String scopeId);

    /** Replaces the override of a scope; a set with no limits deletes it. */
    void put(ScopeType type, String scopeId, String workspaceId, LimitSet limits, long now);

    /** Credits charged since {@code fromMillis} in a workspace, or only by one key when {@code keyId} is set. */
    long spentSince(String workspaceId, String keyId, long fromMillis);
}
