package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Rows;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcRefreshTokenStore implements RefreshTokenStore {

    private final Database db;

    JdbcRefreshTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(RefreshToken t) {
        db.jdbc().sql("""
                        insert into refresh_tokens (id, family_id, user_id, workspace_id, token_hash, expires_at, created_at,
                        used_at, revoked_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(t.id(), t.familyId(), t.userId(), t.workspaceId(), t.tokenHash(), t.expiresAt(), t.createdAt(),
                        t.usedAt(), t.revokedAt())
                .update();
    }

    @Override
    public Optional<RefreshToken> findByHash(String tokenHash) {
        return db.jdbc().sql("""
                        select id, family_id, user_id, workspace_id, token_hash, expires_at, created_at, used_at, revoked_at
                        from refresh_tokens where token_hash = ?""")
                .param(tokenHash)
                .query((rs, n) -> new RefreshToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getLong(7), Rows.nullableLong(rs, 8), Rows.nullableLong(rs, 9)))
                .optional();
    }

    @Override
    public boolean markUsed(String id, long now) {
        return db.jdbc().sql("update refresh_tokens set used_at = ? where id = ? and used_at is null and revoked_at is null")
                .params(now, id).update() == 1;
    }

    @Override
    public void revokeFamily(String familyId, long now) {
        db.jdbc().sql("update refresh_tokens set revoked_at = ? where family_id = ? and revoked_at is null")
                .params(now, familyId).update();
    }
}
