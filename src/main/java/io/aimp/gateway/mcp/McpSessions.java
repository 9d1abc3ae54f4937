package io.aimp.gateway.mcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aimp.gateway.auth.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * MCP sessions ({@code Mcp-Session-Id}): created by {@code initialize}, bound to the API key that
 * created them, ended by {@code DELETE /mcp} or after an hour without use. They hold only the
 * negotiated protocol version; everything a request may do is decided from its own credentials.
 * Kept in this node's memory: behind a load balancer, MCP clients need sticky sessions.
 */
@Component
class McpSessions {

    static final Duration IDLE = Duration.ofHours(1);
    private static final int MAX_SESSIONS = 100_000;

    record Session(String id, String workspaceId, String keyId, String protocolVersion) {

        boolean ownedBy(Principal p) {
            return workspaceId.equals(p.workspaceId()) && Objects.equals(keyId, p.keyId());
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Session> sessions = Caffeine.newBuilder()
            .expireAfterAccess(IDLE).maximumSize(MAX_SESSIONS).build();

    Session open(Principal principal, String protocolVersion) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        // visible ASCII only, as the transport requires
        String id = "mcps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session s = new Session(id, principal.workspaceId(), principal.keyId(), protocolVersion);
        sessions.put(id, s);
        return s;
    }

    /** The live session with this id that belongs to the caller; another key's session is not found. */
    Optional<Session> find(String id, Principal principal) {
        return Optional.ofNullable(id == null ? null : sessions.getIfPresent(id)).filter(s -> s.ownedBy(principal));
    }

    void close(Session s) {
        sessions.invalidate(s.id());
    }
}
