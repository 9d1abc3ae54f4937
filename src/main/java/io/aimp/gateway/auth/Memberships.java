package io.aimp.gateway.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.aimp.gateway.auth.AccountStore.Member;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A user's current role in a workspace, as every principal is resolved with it (sessions and the
 * creators of API keys alike). Cached for the hot path: entries refresh in the background after
 * 500 ms and expire after 1 s, so a change made on another node takes effect within a second; a
 * change made on this node is forgotten at once ({@link #forget}).
 */
@Component
class Memberships {

    private final LoadingCache<String, Optional<Role>> roles;

    Memberships(AccountStore accounts) {
        this.roles = Caffeine.newBuilder().maximumSize(100_000)
                .refreshAfterWrite(Duration.ofMillis(500)).expireAfterWrite(Duration.ofSeconds(1))
                .build(key -> {
                    int bar = key.indexOf('|');
                    return accounts.findMember(key.substring(0, bar), key.substring(bar + 1)).map(Member::role);
                });
    }

    /** The user's role in the workspace now, or empty when the user is not a member. */
    Optional<Role> role(String workspaceId, String userId) {
        return roles.get(workspaceId + "|" + userId);
    }

    /** Forgets a cached role at once: call after a membership is added, changed or removed (after commit). */
    void forget(String workspaceId, String userId) {
        roles.invalidate(workspaceId + "|" + userId);
    }
}
