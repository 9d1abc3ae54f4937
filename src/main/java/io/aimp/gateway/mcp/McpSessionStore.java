package io.aimp.gateway.mcp;

import java.util.Optional;

/** Where MCP sessions live: the database, so every node finds every session. Ids are stored hashed. */
interface McpSessionStore {

    /** A session as stored: the hash of its id, who owns it, the negotiated version, when last used. */
    record Stored(String idHash, String workspaceId, String keyId, String protocolVersion, long lastUsedAt) {
    }

    void insert(Stored session, long now);

    Optional<Stored> find(String idHash);

    /** Moves the session's last use to {@code now} when it is older than {@code olderThan}. */
    void touch(String idHash, long now, long olderThan);

    void delete(String idHash);

    /** Deletes sessions last used before {@code before}; returns how many. */
    int deleteIdleSince(long before);
}
