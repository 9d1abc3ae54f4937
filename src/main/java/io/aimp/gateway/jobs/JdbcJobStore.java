package io.aimp.gateway.jobs;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@Repository
class JdbcJobStore implements JobStore {

    private static final String JOB_COLUMNS = "id, workspace_id, model_id, model_slug, mode, params, options, status, "
            + "item_count, principal_type, user_id, key_id, key_prefix, role, request_id, created_at, updated_at, completed_at";
    private static final String ITEM_COLUMNS = "job_id, idx, status, input, run_id, output, error, attempts, retries, lease_until, updated_at";
    private static final String OPEN = "('QUEUED', 'RUNNING')";
    private static final String NEW_JOB_COLUMNS = "id, workspace_id, model_id, model_slug, mode, params, options, status, "
            + "item_count, principal_type, user_id, key_id, key_prefix, role, request_id, created_at, updated_at";
    /** Two parameters: the workspace and its cap of running jobs. */
    private static final String RUNNING_BELOW_CAP =
            "(select count(*) from jobs r where r.workspace_id = ? and r.status = 'RUNNING') < ?";
    /** The first key of the advisory lock that guards the job cap (two-int keys never meet one-bigint keys). */
    private static final int JOB_CAP_LOCK = 0x4a6f6273;

    private final Database db;
    private final ObjectMapper json;

    JdbcJobStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public boolean insert(JobRecord j, List<JsonNode> inputs, int maxRunning) {
        if (j.status() != JobStatus.RUNNING || j.completedAt() != null) {
            throw new IllegalArgumentException("a new job is running and not completed");
        }
        return db.inTransaction(() -> {
            lockJobCap(j.workspaceId());
            // one statement: the job is written only while the workspace is below its cap
            int inserted = db.jdbc().sql("insert into jobs (" + NEW_JOB_COLUMNS + ") select "
                            + "?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?, ? where " + RUNNING_BELOW_CAP)
                    .params(j.id(), j.workspaceId(), j.modelId(), j.modelSlug(), j.mode(), text(j.params()),
                            text(j.options()), j.itemCount(), j.principalType(), j.userId(), j.keyId(),
                            j.keyPrefix(), j.role(), j.requestId(), j.createdAt(), j.updatedAt(), j.workspaceId(), maxRunning)
                    .update();
            if (inserted == 0) {
                return false;
            }
            for (int i = 0; i < inputs.size(); i++) {
                db.jdbc().sql("insert into job_items (job_id, idx, workspace_id, status, input, attempts, not_before, updated_at) "
                                + "values (?, ?, ?, 'QUEUED', ?, 0, 0, ?)")
                        .params(j.id(), i, j.workspaceId(), text(inputs.get(i)), j.createdAt())
                        .update();
            }
            return true;
        });
    }

    @Override
    public Reopen reopen(String workspaceId, String jobId, JobStatus from, long now, int maxRunning) {
        if (!from.canMoveTo(JobStatus.RUNNING)) {
            throw new IllegalArgumentException("a job cannot move from " + from + " to RUNNING");
        }
        return db.inTransaction(() -> {
            lockJobCap(workspaceId);
            int moved = db.jdbc().sql("update jobs set status = 'RUNNING', updated_at = ?, completed_at = null "
                            + "where workspace_id = ? and id = ? and status = ? and " + RUNNING_BELOW_CAP)
                    .params(now, workspaceId, jobId, from.name(), workspaceId, maxRunning).update();
            if (moved == 1) {
                return Reopen.REOPENED;
            }
            return countRunning(workspaceId) >= maxRunning ? Reopen.AT_CAP : Reopen.CHANGED;
        });
    }

    /**
     * Serialises the job-cap checks of one workspace until the transaction ends, so the count in
     * {@link #RUNNING_BELOW_CAP} sees every job committed before. PostgreSQL: a transaction-scoped
     * advisory lock on (job-cap class, workspace hash). SQLite: every write transaction already runs
     * alone ({@code BEGIN IMMEDIATE}).
     */
    private void lockJobCap(String workspaceId) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            db.jdbc().sql("select pg_advisory_xact_lock(?, hashtext(?))").params(JOB_CAP_LOCK, workspaceId)
                    .query((rs, n) -> 1).list();
        }
    }

    @Override
    public Optional<JobRecord> find(String workspaceId, String id) {
        return db.jdbc().sql("select " + JOB_COLUMNS + " from jobs where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(this::job).optional();
    }

    @Override
    public Optional<JobRecord> findById(String id) {
        return db.jdbc().sql("select " + JOB_COLUMNS + " from jobs where id = ?").param(id).query(this::job).optional();
    }

    @Override
    public List<JobRecord> list(String workspaceId, String userId, JobStatus status, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        params.add(workspaceId);
        StringBuilder where = new StringBuilder("workspace_id = ?");
        if (userId != null) {
            where.append(" and user_id = ?");
            params.add(userId);
        }
        if (status != null) {
            where.append(" and status = ?");
            params.add(status.name());
        }
        params.add(limit);
        params.add(offset);
        return db.jdbc().sql("select " + JOB_COLUMNS + " from jobs where " + where + " order by created_at desc, id desc limit ? offset ?")
                .params(params.toArray()).query(this::job).list();
    }

    @Override
    public int countRunning(String workspaceId) {
        return db.jdbc().sql("select count(*) from jobs where workspace_id = ? and status = 'RUNNING'")
                .param(workspaceId).query(Integer.class).single();
    }

    @Override
    public long countQueuedItems() {
        return db.jdbc().sql("select count(*) from job_items where status = 'QUEUED'").query(Long.class).single();
    }

    @Override
    public Map<ItemStatus, Integer> counts(String jobId) {
        Map<ItemStatus, Integer> counts = new EnumMap<>(ItemStatus.class);
        for (ItemStatus s : ItemStatus.values()) {
            counts.put(s, 0);
        }
        db.jdbc().sql("select status, count(*) from job_items where job_id = ? group by status").param(jobId)
                .query(rs -> {
                    counts.put(ItemStatus.valueOf(rs.getString(1)), rs.getInt(2));
                });
        return counts;
    }

    @Override
    public List<JobItem> items(String jobId, ItemStatus status, int limit, int offset) {
        String where = status == null ? "" : " and status = '" + status.name() + "'";
        return db.jdbc().sql("select " + ITEM_COLUMNS + " from job_items where job_id = ?" + where
                        + " order by idx limit ? offset ?")
                .params(jobId, limit, offset).query(this::item).list();
    }

    @Override
    public List<JobItem> claim(int max, long now, long leaseUntil) {
        String pick = "select i.job_id, i.idx from job_items i join jobs j on j.id = i.job_id "
                + "where j.status = 'RUNNING' and ((i.status = 'QUEUED' and i.not_before <= ?) "
                + "or (i.status = 'RUNNING' and i.lease_until < ?)) order by i.not_before, j.created_at, i.idx limit ?"
                + (db.dialect() == Dialect.POSTGRESQL ? " for update of i skip locked" : "");
        return db.inTransaction(() -> {
            List<Object[]> keys = db.jdbc().sql(pick).params(now, now, max)
                    .query((rs, n) -> new Object[] {rs.getString(1), rs.getInt(2)}).list();
            List<JobItem> claimed = new ArrayList<>(keys.size());
            for (Object[] k : keys) {
                int updated = db.jdbc().sql("update job_items set status = 'RUNNING', attempts = attempts + 1, "
                                + "lease_until = ?, updated_at = ? where job_id = ? and idx = ? and "
                                + "(status = 'QUEUED' or (status = 'RUNNING' and lease_until < ?))")
                        .params(leaseUntil, now, k[0], k[1], now).update();
                if (updated == 1) {
                    db.jdbc().sql("select " + ITEM_COLUMNS + " from job_items where job_id = ? and idx = ?")
                            .params(k[0], k[1]).query(this::item).optional().ifPresent(claimed::add);
                }
            }
            return claimed;
        });
    }

    @Override
    public boolean finish(String jobId, int index, ItemStatus status, String runId, JsonNode output, JsonNode error,
                          boolean keepInput, long now) {
        String input = keepInput ? "" : "input = 'null', ";
        return db.jdbc().sql("update job_items set status = ?, run_id = ?, output = ?, error = ?, " + input
                        + "lease_until = null, updated_at = ? where job_id = ? and idx = ? and status = 'RUNNING'")
                .params(status.name(), runId, text(output), text(error), now, jobId, index).update() == 1;
    }

    @Override
    public boolean requeue(String jobId, int index, long notBefore, long now) {
        return db.jdbc().sql("update job_items set status = 'QUEUED', lease_until = null, not_before = ?, updated_at = ? "
                        + "where job_id = ? and idx = ? and status = 'RUNNING'")
                .params(notBefore, now, jobId, index).update() == 1;
    }

    @Override
    public int failQueued(String jobId, JsonNode error, long now) {
        return db.jdbc().sql("update job_items set status = 'FAILED', error = ?, updated_at = ? "
                        + "where job_id = ? and status = 'QUEUED'")
                .params(text(error), now, jobId).update();
    }

    @Override
    public int moveItems(String jobId, ItemStatus from, ItemStatus to, long now) {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("an item cannot move from " + from + " to " + to);
        }
        String reset = to == ItemStatus.QUEUED
                ? ", error = null, output = null, run_id = null, not_before = 0, retries = retries + 1" : "";
        return db.jdbc().sql("update job_items set status = ?, lease_until = null, updated_at = ?" + reset
                        + " where job_id = ? and status = ?")
                .params(to.name(), now, jobId, from.name()).update();
    }

    @Override
    public int requeueAbandoned(long leaseBefore, long now) {
        return db.jdbc().sql("update job_items set status = 'QUEUED', lease_until = null, updated_at = ? "
                        + "where status = 'RUNNING' and lease_until < ?")
                .params(now, leaseBefore).update();
    }

    @Override
    public boolean move(String jobId, JobStatus from, JobStatus to, long now) {
        if (!from.canMoveTo(to)) {
            throw new IllegalArgumentException("a job cannot move from " + from + " to " + to);
        }
        Long completed = to == JobStatus.RUNNING ? null : now;
        return db.jdbc().sql("update jobs set status = ?, updated_at = ?, completed_at = ? where id = ? and status = ?")
                .params(to.name(), now, completed, jobId, from.name()).update() == 1;
    }

    @Override
    public boolean completeIfDone(String jobId, long now) {
        // closed items stay closed while the job runs (only a resume of a finished job reopens them),
        // so the counts read here are those the job finishes with
        Map<ItemStatus, Integer> c = counts(jobId);
        if (c.get(ItemStatus.QUEUED) + c.get(ItemStatus.RUNNING) > 0) {
            return false;
        }
        JobStatus to = JobStatus.finished(c.get(ItemStatus.SUCCEEDED), c.get(ItemStatus.FAILED) + c.get(ItemStatus.CANCELED));
        if (!JobStatus.RUNNING.canMoveTo(to)) {
            throw new IllegalStateException("a running job cannot finish as " + to);
        }
        return db.jdbc().sql("update jobs set status = ?, updated_at = ?, completed_at = ? "
                        + "where id = ? and status = 'RUNNING' and not exists "
                        + "(select 1 from job_items i where i.job_id = ? and i.status in " + OPEN + ")")
                .params(to.name(), now, now, jobId, jobId).update() == 1;
    }

    private JobRecord job(ResultSet rs, int n) throws SQLException {
        return new JobRecord(rs.getString("id"), rs.getString("workspace_id"), rs.getString("model_id"),
                rs.getString("model_slug"), rs.getString("mode"), node(rs.getString("params")),
                node(rs.getString("options")), JobStatus.valueOf(rs.getString("status")), rs.getInt("item_count"),
                rs.getString("principal_type"), rs.getString("user_id"), rs.getString("key_id"),
                rs.getString("key_prefix"), rs.getString("role"), rs.getString("request_id"), rs.getLong("created_at"),
                rs.getLong("updated_at"), Rows.nullableLong(rs, "completed_at"));
    }

    private JobItem item(ResultSet rs, int n) throws SQLException {
        return new JobItem(rs.getString("job_id"), rs.getInt("idx"), ItemStatus.valueOf(rs.getString("status")),
                node(rs.getString("input")), rs.getString("run_id"), node(rs.getString("output")),
                node(rs.getString("error")), rs.getInt("attempts"), rs.getInt("retries"), Rows.nullableLong(rs, "lease_until"),
                rs.getLong("updated_at"));
    }

    private String text(JsonNode n) {
        return n == null ? null : json.writeValueAsString(n);
    }

    private JsonNode node(String s) {
        return s == null ? null : json.readTree(s);
    }
}
