package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * MCP sessions ({@code Mcp-Session-Id}): created by {@code initialize}, bound to the API key that
 * created them, ended by {@code DELETE /mcp} or after an hour without use. They hold only the
 * negotiated protocol version; everything a request may do is decided from its own credentials.
 * Stored in the database (the id only as its SHA-256), so any node serves any request of a session:
 * behind a load balancer MCP clients need no sticky sessions, and a session ended on one node is
 * ended on all.
 */
@Component
class McpSessions {

    static final Duration IDLE = Duration.ofHours(1);
    /** The last use is written at most this often per session, not on every request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int MAX_ID_LENGTH = 200;

    record Session(String id, String workspaceId, String keyId, String protocolVersion) {

        boolean ownedBy(Principal p) {
            return workspaceId.equals(p.workspaceId()) && Objects.equals(keyId, p.keyId());
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final McpSessionStore store;
    private final Clock clock;
    private final AtomicLong lastSweep = new AtomicLong();

    McpSessions(McpSessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Session open(Principal principal, String protocolVersion) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        // visible ASCII only, as the transport requires
        String id = "mcps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session s = new Session(id, principal.workspaceId(), principal.keyId(), protocolVersion);
        long now = clock.millis();
        store.insert(new McpSessionStore.Stored(hash(id), s.workspaceId(), s.keyId(), protocolVersion, now), now);
        sweep(now);
        return s;
    }

    /** The live session with this id that belongs to the caller; another key's session is not found. */
    Optional<Session> find(String id, Principal principal) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        String idHash = hash(id);
        long now = clock.millis();
        return store.find(idHash)
                .filter(st -> st.lastUsedAt() >= now - IDLE.toMillis())
                .map(st -> new Session(id, st.workspaceId(), st.keyId(), st.protocolVersion()))
                .filter(s -> s.ownedBy(principal))
                .map(s -> {
                    store.touch(idHash, now, now - TOUCH_EVERY.toMillis());
                    return s;
                });
    }

    void close(Session s) {
        store.delete(hash(s.id()));
    }

    /** Deletes idle sessions, at most once a minute per node (any node's sweep serves all). */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last >= TOUCH_EVERY.toMillis() && lastSweep.compareAndSet(last, now)) {
            store.deleteIdleSince(now - IDLE.toMillis());
        }
    }

    private static String hash(String id) {
        return Secrets.sha256Hex(id.getBytes(StandardCharsets.UTF_8));
    }
}
