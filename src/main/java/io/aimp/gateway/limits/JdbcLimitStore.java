package io.aimp.gateway.limits;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Rows;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcLimitStore implements LimitStore {

    private final Database db;

    JdbcLimitStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<LimitSet> find(ScopeType type, String scopeId) {
        return db.jdbc().sql("""
                        select requests_per_minute, tokens_per_minute, concurrent_runs, daily_credits, monthly_credits,
                        images_per_minute, images_per_day
                        from limit_overrides where scope_type = ? and scope_id = ?""")
                .params(type.name(), scopeId)
                .query((rs, n) -> new LimitSet(Rows.nullableLong(rs, 1), Rows.nullableLong(rs, 2), Rows.nullableLong(rs, 3),
                        Rows.nullableLong(rs, 4), Rows.nullableLong(rs, 5), Rows.nullableLong(rs, 6), Rows.nullableLong(rs, 7)))
                .optional();
    }

    @Override
    public void put(ScopeType type, String scopeId, String workspaceId, LimitSet l, long now) {
        if (l.equals(LimitSet.NONE)) {
            db.jdbc().sql("delete from limit_overrides where scope_type = ? and scope_id = ?").params(type.name(), scopeId).update();
            return;
        }
        db.jdbc().sql("""
                        insert into limit_overrides (scope_type, scope_id, workspace_id, requests_per_minute, tokens_per_minute,
                        concurrent_runs, daily_credits, monthly_credits, images_per_minute, images_per_day, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (scope_type, scope_id) do update set requests_per_minute = excluded.requests_per_minute,
                        tokens_per_minute = excluded.tokens_per_minute, concurrent_runs = excluded.concurrent_runs,
                        daily_credits = excluded.daily_credits, monthly_credits = excluded.monthly_credits,
                        images_per_minute = excluded.images_per_minute, images_per_day = excluded.images_per_day,
                        updated_at = excluded.updated_at""")
                .params(type.name(), scopeId, workspaceId, l.requestsPerMinute(), l.tokensPerMinute(), l.concurrentRuns(),
                        l.dailyCredits(), l.monthlyCredits(), l.imagesPerMinute(), l.imagesPerDay(), now)
                .update();
    }

    @Override
    public long spentSince(String workspaceId, String keyId, long fromMillis) {
        if (keyId == null) {
            return db.jdbc().sql("select coalesce(sum(cost_micros), 0) from usage_records where workspace_id = ? and created_at >= ?")
                    .params(workspaceId, fromMillis).query(Long.class).single();
        }
        return db.jdbc().sql("select coalesce(sum(cost_micros), 0) from usage_records where workspace_id = ? and key_id = ? and created_at >= ?")
                .params(workspaceId, keyId, fromMillis).query(Long.class).single();
    }
}
