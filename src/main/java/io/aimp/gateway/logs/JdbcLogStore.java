package io.aimp.gateway.logs;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Filter;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Repository;

@Repository
class JdbcLogStore implements LogStore {

    private static final String USAGE_COLUMNS = "id, run_id, workspace_id, principal_type, user_id, key_id, key_prefix, "
            + "model_id, model_slug, release_version, mode, kind, provider, provider_model, input_tokens, output_tokens, "
            + "units, usage_estimated, cost_micros, status, error_code, latency_ms, request_id, entry_point, parent_run_id, "
            + "created_at";
    private static final String LOG_COLUMNS = "id, run_id, workspace_id, seq, step, name, provider, provider_model, outcome, "
            + "failure_class, http_status, latency_ms, detail, created_at";

    private final Database db;

    JdbcLogStore(Database db) {
        this.db = db;
    }

    private static final String INSERT_USAGE = "insert into usage_records (" + USAGE_COLUMNS + ") values "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LOG = "insert into execution_logs (" + LOG_COLUMNS + ") values "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public void insertUsage(UsageRecord u) {
        usageInsertion(u).run();
    }

    @Override
    public Runnable usageInsertion(UsageRecord u) {
        Object[] values = {u.id(), u.runId(), u.workspaceId(), u.principalType(), u.userId(), u.keyId(), u.keyPrefix(),
                        u.modelId(), u.modelSlug(), u.releaseVersion(), u.mode(), u.kind(), u.provider(), u.providerModel(),
                        u.inputTokens(), u.outputTokens(), u.units(), u.usageEstimated() ? 1 : 0, u.costMicros(), u.status(),
                        u.errorCode(), u.latencyMs(), u.requestId(), u.entryPoint(), u.parentRunId(), u.createdAt()};
        // nothing in the same unit reads the row back: on PostgreSQL it goes with its batch's others
        return () -> db.updateInBatch(INSERT_USAGE, values, Database.exactlyOne("insert usage record"));
    }

    @Override
    public void insertExecutionLogs(List<ExecutionLogEntry> entries) {
        executionLogsInsertion(entries).run();
    }

    @Override
    public Runnable executionLogsInsertion(List<ExecutionLogEntry> entries) {
        List<Object[]> rows = new java.util.ArrayList<>(entries.size());
        for (ExecutionLogEntry e : entries) {
            rows.add(new Object[] {e.id(), e.runId(), e.workspaceId(), e.seq(), e.step(), e.name(), e.provider(), e.providerModel(),
                            e.outcome(), e.failureClass(), e.httpStatus(), e.latencyMs(), e.detail(), e.createdAt()});
        }
        return () -> rows.forEach(values -> db.updateInBatch(INSERT_LOG, values, Database.exactlyOne("insert execution log")));
    }

    @Override
    public List<UsageRecord> usage(UsageQuery q) {
        Filter f = new Filter("select " + USAGE_COLUMNS + " from usage_records where workspace_id = ?", q.workspaceId())
                .eq("key_id", q.keyId()).eq("user_id", q.userId()).eitherIn("model_slug", "model_id", q.models())
                .eq("model_slug", q.modelSlug())
                .eq("status", q.status()).eq("run_id", q.runId())
                .from("created_at", q.fromMillis()).until("created_at", q.toMillis())
                .newestFirst(q.limit(), q.offset());
        return db.jdbc().sql(f.sql()).params(f.args()).query(JdbcLogStore::usage).list();
    }

    @Override
    public List<ExecutionLogEntry> executions(String workspaceId, String runId) {
        return db.jdbc().sql("select " + LOG_COLUMNS + " from execution_logs where workspace_id = ? and run_id = ? order by seq")
                .params(workspaceId, runId)
                .query((rs, n) -> new ExecutionLogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), toInt(Rows.nullableLong(rs, 11)),
                        rs.getLong(12), rs.getString(13), rs.getLong(14)))
                .list();
    }

    @Override
    public List<StatRow> stats(String workspaceId, String userId, java.util.Set<String> models, long from, long to, long bucket, String groupBy) {
        String group = switch (groupBy) {
            case "model" -> "model_slug";
            case "status" -> "status";
            case "key" -> "key_prefix";
            default -> throw new IllegalArgumentException("group_by");
        };
        // integer division gives the bucket start on both SQLite and PostgreSQL
        String sql = "select (created_at / " + bucket + ") * " + bucket + " as bucket, coalesce(" + group + ", '-') as grp, "
                + "count(*), sum(case when status = 'succeeded' then 1 else 0 end), "
                + "sum(case when status = 'failed' then 1 else 0 end), sum(input_tokens), sum(output_tokens), sum(units), "
                + "sum(cost_micros) from usage_records where workspace_id = ? and created_at >= ? and created_at < ?"
                + (userId != null ? " and user_id = ?" : "");
        List<Object> args = new ArrayList<>(List.of(workspaceId, from, to));
        if (userId != null) {
            args.add(userId);
        }
        sql += Filter.eitherIn("model_slug", "model_id", models, args) + " group by 1, 2 order by 1, 2";
        return db.jdbc().sql(sql).params(args)
                .query((rs, n) -> new StatRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
                .list();
    }

    private static Integer toInt(Long v) {
        return v == null ? null : v.intValue();
    }

    private static UsageRecord usage(ResultSet rs, int n) throws SQLException {
        return new UsageRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getLong(15), rs.getLong(16), rs.getLong(17),
                rs.getInt(18) != 0, rs.getLong(19), rs.getString(20), rs.getString(21), rs.getLong(22), rs.getString(23),
                rs.getString(24), rs.getString(25), rs.getLong(26));
    }
}
