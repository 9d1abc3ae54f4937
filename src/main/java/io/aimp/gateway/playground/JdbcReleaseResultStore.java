package io.aimp.gateway.playground;

import io.aimp.gateway.storage.Database;
import java.util.List;
import org.springframework.stereotype.Repository;

@Repository
class JdbcReleaseResultStore implements ReleaseResultStore {

    private final Database db;

    JdbcReleaseResultStore(Database db) {
        this.db = db;
    }

    @Override
    public void save(ReleaseResult r) {
        db.jdbc().sql("insert into playground_release_results (workspace_id, model_id, release_version, cases, passed, "
                        + "failed, cost_micros, user_id, evaluated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict (workspace_id, model_id, release_version) do update set cases = excluded.cases, "
                        + "passed = excluded.passed, failed = excluded.failed, cost_micros = excluded.cost_micros, "
                        + "user_id = excluded.user_id, evaluated_at = excluded.evaluated_at")
                .params(r.workspaceId(), r.modelId(), r.releaseVersion(), r.cases(), r.passed(), r.failed(),
                        r.costMicros(), r.userId(), r.evaluatedAt())
                .update();
    }

    @Override
    public List<ReleaseResult> last(String workspaceId, String modelId) {
        return db.jdbc().sql("select workspace_id, model_id, release_version, cases, passed, failed, cost_micros, user_id, "
                        + "evaluated_at from playground_release_results where workspace_id = ? and model_id = ?")
                .params(workspaceId, modelId)
                .query((rs, n) -> new ReleaseResult(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getString(8), rs.getLong(9)))
                .list();
    }
}
