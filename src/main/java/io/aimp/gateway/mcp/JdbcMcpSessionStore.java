package io.aimp.gateway.mcp;

import io.aimp.gateway.storage.Database;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcMcpSessionStore implements McpSessionStore {

    private final Database db;

    JdbcMcpSessionStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Stored s, long now) {
        db.jdbc().sql("""
                        insert into mcp_sessions (id_hash, workspace_id, key_id, protocol_version, created_at, last_used_at)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(s.idHash(), s.workspaceId(), s.keyId(), s.protocolVersion(), now, s.lastUsedAt())
                .update();
    }

    @Override
    public Optional<Stored> find(String idHash) {
        return db.jdbc().sql("select id_hash, workspace_id, key_id, protocol_version, last_used_at from mcp_sessions where id_hash = ?")
                .param(idHash)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)))
                .optional();
    }

    @Override
    public void touch(String idHash, long now, long olderThan) {
        db.jdbc().sql("update mcp_sessions set last_used_at = ? where id_hash = ? and last_used_at < ?")
                .params(now, idHash, olderThan).update();
    }

    @Override
    public void delete(String idHash) {
        db.jdbc().sql("delete from mcp_sessions where id_hash = ?").param(idHash).update();
    }

    @Override
    public int deleteIdleSince(long before) {
        return db.jdbc().sql("delete from mcp_sessions where last_used_at < ?").param(before).update();
    }
}
