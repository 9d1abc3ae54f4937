package io.aimp.gateway.idempotency;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Rows;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcIdempotencyStore implements IdempotencyStore {

    private final Database db;

    JdbcIdempotencyStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean claim(String workspaceId, String caller, String key, String bodyHash, String owner, long leaseUntil,
                         long now) {
        return db.jdbc().sql("""
                        insert into idempotency_keys (workspace_id, caller, idem_key, body_hash, state, owner, lease_until,
                        created_at) values (?, ?, ?, ?, 'IN_FLIGHT', ?, ?, ?)
                        on conflict (workspace_id, caller, idem_key) do nothing""")
                .params(workspaceId, caller, key, bodyHash, owner, leaseUntil, now).update() == 1;
    }

    @Override
    public Optional<Entry> find(String workspaceId, String caller, String key) {
        return db.jdbc().sql("""
                        select workspace_id, caller, idem_key, body_hash, state, owner, lease_until, run_id, status_code,
                        response, created_at from idempotency_keys where workspace_id = ? and caller = ? and idem_key = ?""")
                .params(workspaceId, caller, key)
                .query((rs, n) -> {
                    int status = rs.getInt(9);
                    Integer statusCode = rs.wasNull() ? null : status;
                    return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            State.valueOf(rs.getString(5)), rs.getString(6), Rows.nullableLong(rs, 7), rs.getString(8),
                            statusCode, rs.getString(10), rs.getLong(11));
                })
                .optional();
    }

    @Override
    public boolean complete(String workspaceId, String caller, String key, String owner, int statusCode, String response,
                            String runId) {
        return db.jdbc().sql("""
                        update idempotency_keys set state = 'DONE', status_code = ?, response = ?, run_id = ?,
                        owner = null, lease_until = null
                        where workspace_id = ? and caller = ? and idem_key = ? and owner = ? and state = 'IN_FLIGHT'""")
                .params(statusCode, response, runId, workspaceId, caller, key, owner).update() == 1;
    }

    @Override
    public boolean release(String workspaceId, String caller, String key, String owner) {
        return db.jdbc().sql("""
                        delete from idempotency_keys
                        where workspace_id = ? and caller = ? and idem_key = ? and owner = ? and state = 'IN_FLIGHT'""")
                .params(workspaceId, caller, key, owner).update() == 1;
    }

    @Override
    public boolean deleteExpired(String workspaceId, String caller, String key, long now) {
        return db.jdbc().sql("""
                        delete from idempotency_keys
                        where workspace_id = ? and caller = ? and idem_key = ? and state = 'IN_FLIGHT' and lease_until < ?""")
                .params(workspaceId, caller, key, now).update() == 1;
    }

    @Override
    public int deleteStaleClaims(String keepOwner, long leaseBefore) {
        return db.jdbc().sql("delete from idempotency_keys where state = 'IN_FLIGHT' and owner <> ? and lease_until < ?")
                .params(keepOwner, leaseBefore).update();
    }

    @Override
    public int deleteOlderThan(long createdBefore) {
        return db.jdbc().sql("delete from idempotency_keys where created_at < ? and state = 'DONE'").param(createdBefore).update();
    }
}
