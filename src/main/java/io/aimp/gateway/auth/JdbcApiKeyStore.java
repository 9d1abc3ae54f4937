package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Repository;

@Repository
class JdbcApiKeyStore implements ApiKeyStore {

    private static final String COLUMNS = "id, workspace_id, created_by, name, prefix, secret_hash, role, models, "
            + "expires_at, last_used_at, created_at, revoked_at";

    private final Database db;

    JdbcApiKeyStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(ApiKey k) {
        db.jdbc().sql("insert into api_keys (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(k.id(), k.workspaceId(), k.createdBy(), k.name(), k.prefix(), k.secretHash(), k.role().name(),
                        k.models() == null ? null : String.join("\n", k.models()),
                        k.expiresAt(), k.lastUsedAt(), k.createdAt(), k.revokedAt())
                .update();
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        return db.jdbc().sql("select " + COLUMNS + " from api_keys where secret_hash = ?").param(secretHash)
                .query(JdbcApiKeyStore::map).optional();
    }

    @Override
    public Optional<ApiKey> find(String workspaceId, String id) {
        return db.jdbc().sql("select " + COLUMNS + " from api_keys where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(JdbcApiKeyStore::map).optional();
    }

    @Override
    public List<ApiKey> list(String workspaceId, boolean includeRevoked) {
        String sql = "select " + COLUMNS + " from api_keys where workspace_id = ?"
                + (includeRevoked ? "" : " and revoked_at is null") + " order by created_at desc, id desc";
        return db.jdbc().sql(sql).param(workspaceId).query(JdbcApiKeyStore::map).list();
    }

    @Override
    public boolean revoke(String workspaceId, String id, long now) {
        return db.jdbc().sql("update api_keys set revoked_at = ? where workspace_id = ? and id = ? and revoked_at is null")
                .params(now, workspaceId, id).update() == 1;
    }

    @Override
    public void touch(Map<String, Long> lastUsedByKeyId) {
        if (lastUsedByKeyId.isEmpty()) {
            return;
        }
        db.inTransaction(() -> lastUsedByKeyId.forEach((id, at) -> db.jdbc()
                .sql("update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(at, id, at).update()));
    }

    @Override
    public long countActive() {
        return db.jdbc().sql("select count(*) from api_keys where revoked_at is null").query(Long.class).single();
    }

    private static ApiKey map(ResultSet rs, int n) throws SQLException {
        String models = rs.getString(8);
        Set<String> allow = models == null ? null
                : models.isEmpty() ? Set.of() : Set.copyOf(new LinkedHashSet<>(Arrays.asList(models.split("\n"))));
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Role.valueOf(rs.getString(7)), allow,
                Rows.nullableLong(rs, 9), Rows.nullableLong(rs, 10), rs.getLong(11), Rows.nullableLong(rs, 12));
    }
}
