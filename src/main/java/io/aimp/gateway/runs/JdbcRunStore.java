package io.aimp.gateway.runs;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.Filter;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@Repository
class JdbcRunStore implements RunStore {

    private static final String COLUMNS = "id, workspace_id, model_id, model_slug, release_version, mode, kind, scope, "
            + "status, input, params, options, output, error, input_tokens, output_tokens, units, usage_estimated, "
            + "cost_micros, provider, provider_model, principal_type, user_id, key_id, key_prefix, request_id, "
            + "entry_point, parent_run_id, lease_until, created_at, started_at, completed_at";

    private final Database db;
    private final ObjectMapper json;

    JdbcRunStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * The condition of the partial index {@code runs_open} (migration V110), word for word: SQLite uses
     * a partial index only for a query whose WHERE clause contains its condition.
     */
    static final String OPEN = "status in ('QUEUED', 'RUNNING')";

    private static final String INSERT = "insert into runs (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public void insert(RunRecord r) {
        insertion(r).run();
    }

    @Override
    public Runnable insertion(RunRecord r) {
        Object[] values = {r.id(), r.workspaceId(), r.modelId(), r.modelSlug(), r.releaseVersion(), r.mode(), r.kind(),
                        r.scope(), r.status().name(), text(r.input()), text(r.params()), text(r.options()), text(r.output()),
                        text(r.error()), r.inputTokens(), r.outputTokens(), r.units(), r.usageEstimated() ? 1 : 0,
                        r.costMicros(), r.provider(), r.providerModel(), r.principalType(), r.userId(), r.keyId(),
                        r.keyPrefix(), r.requestId(), r.entryPoint(), r.parentRunId(), r.leaseUntil(), r.createdAt(),
                        r.startedAt(), r.completedAt()};
        // nothing in the completion's unit reads the row back: on PostgreSQL it goes with its batch's others
        return () -> db.updateInBatch(INSERT, values, Database.exactlyOne("insert run"));
    }

    @Override
    public Optional<RunRecord> find(String workspaceId, String id) {
        return db.jdbc().sql("select " + COLUMNS + " from runs where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(this::map).optional();
    }

    @Override
    public Optional<RunRecord> findById(String id) {
        return db.jdbc().sql("select " + COLUMNS + " from runs where id = ?").param(id).query(this::map).optional();
    }

    @Override
    public List<RunRecord> list(RunQuery q) {
        Filter f = new Filter("select " + COLUMNS + " from runs where workspace_id = ?", q.workspaceId())
                .eq("user_id", q.userId()).eitherIn("model_slug", "model_id", q.models())
                .eq("model_slug", q.modelSlug()).eq("mode", q.mode())
                .eq("status", q.status() == null ? null : q.status().name())
                .from("created_at", q.fromMillis()).until("created_at", q.toMillis())
                .newestFirst(q.limit(), q.offset());
        return db.jdbc().sql(f.sql()).params(f.args()).query(this::map).list();
    }

    @Override
    public boolean start(String id, long now, long leaseUntil) {
        return db.jdbc().sql("update runs set " + move(RunStatus.QUEUED, RunStatus.RUNNING)
                        + ", started_at = ?, lease_until = ? where id = ? and " + from(RunStatus.QUEUED))
                .params(now, leaseUntil, id).update() == 1;
    }

    @Override
    public Optional<RunRecord> claimQueued(long now, long leaseUntil) {
        String pick = "select id from runs where " + OPEN + " and " + from(RunStatus.QUEUED) + " and not_before <= ? order by created_at limit 1"
                + (db.dialect() == Dialect.POSTGRESQL ? " for update skip locked" : "");
        return db.inTransaction(() -> {
            Optional<String> id = db.jdbc().sql(pick).param(now).query(String.class).optional();
            if (id.isEmpty() || !start(id.get(), now, leaseUntil)) {
                return Optional.<RunRecord>empty();
            }
            return db.jdbc().sql("select " + COLUMNS + " from runs where id = ?").param(id.get()).query(this::map).optional();
        });
    }

    @Override
    public boolean defer(String id, long notBefore) {
        return db.jdbc().sql("update runs set " + move(RunStatus.RUNNING, RunStatus.QUEUED)
                        + ", started_at = null, lease_until = null, not_before = ? where id = ? and " + from(RunStatus.RUNNING))
                .params(notBefore, id).update() == 1;
    }

    @Override
    public boolean finish(RunRecord r) {
        if (!r.status().terminal()) {
            throw new IllegalArgumentException("finish needs a terminal status, not " + r.status());
        }
        return db.jdbc().sql("update runs set " + move(RunStatus.RUNNING, r.status()) + ", output = ?, error = ?, "
                        + "input = ?, params = ?, input_tokens = ?, output_tokens = ?, units = ?, usage_estimated = ?, "
                        + "cost_micros = ?, provider = ?, provider_model = ?, completed_at = ?, lease_until = null "
                        + "where id = ? and " + from(RunStatus.RUNNING))
                .params(text(r.output()), text(r.error()), text(r.input()), text(r.params()),
                        r.inputTokens(), r.outputTokens(), r.units(), r.usageEstimated() ? 1 : 0, r.costMicros(),
                        r.provider(), r.providerModel(), r.completedAt(), r.id())
                .update() == 1;
    }

    /**
     * Ends a run without its input when the caller sent {@code persist: false} (see
     * {@link RunRecord#forStorage()}), for the ends decided in SQL. The options are written by the JSON
     * mapper (compact, scalar values only), so the text match is exact.
     */
    private static final String FORGET_INPUT_UNLESS_PERSISTED = """
            input = case when options like '%"persist":false%' then null else input end,
            params = case when options like '%"persist":false%' then null else params end
            """;

    @Override
    public Optional<RunStatus> cancel(String workspaceId, String id, long now) {
        // the state read and the move from exactly that state in one transaction: PostgreSQL locks the row
        // until the commit, SQLite runs one write transaction at a time
        String read = "select status from runs where workspace_id = ? and id = ?"
                + (db.dialect() == Dialect.POSTGRESQL ? " for update" : "");
        return db.inTransaction(() -> {
            Optional<RunStatus> current = db.jdbc().sql(read).params(workspaceId, id).query(String.class).optional()
                    .map(RunStatus::valueOf);
            if (current.isEmpty() || !current.get().canMoveTo(RunStatus.CANCELED)) {
                return Optional.<RunStatus>empty();
            }
            int moved = db.jdbc().sql("update runs set " + move(current.get(), RunStatus.CANCELED)
                            + ", completed_at = ?, lease_until = null, " + FORGET_INPUT_UNLESS_PERSISTED
                            + " where workspace_id = ? and id = ? and " + from(current.get()))
                    .params(now, workspaceId, id).update();
            return moved == 1 ? current : Optional.<RunStatus>empty();
        });
    }

    @Override
    public List<String> failAbandoned(long leaseBefore, long now, String errorJson) {
        return db.inTransaction(() -> {
            List<String> ids = db.jdbc()
                    .sql("select id from runs where " + OPEN + " and " + from(RunStatus.RUNNING) + " and (lease_until is null or lease_until < ?)")
                    .param(leaseBefore).query(String.class).list();
            List<String> failed = new ArrayList<>();
            for (String id : ids) {
                int n = db.jdbc().sql("update runs set " + move(RunStatus.RUNNING, RunStatus.FAILED)
                                + ", error = ?, completed_at = ?, lease_until = null, " + FORGET_INPUT_UNLESS_PERSISTED
                                + " where id = ? and " + from(RunStatus.RUNNING))
                        .params(errorJson, now, id).update();
                if (n == 1) {
                    failed.add(id);
                }
            }
            return failed;
        });
    }

    @Override
    public long count(String workspaceId, RunStatus status) {
        return db.jdbc().sql("select count(*) from runs where workspace_id = ? and status = ?")
                .params(workspaceId, status.name()).query(Long.class).single();
    }

    @Override
    public long countQueued() {
        return db.jdbc().sql("select count(*) from runs where " + OPEN + " and " + from(RunStatus.QUEUED)).query(Long.class).single();
    }

    /**
     * The SQL that sets the status to {@code to}, once {@link RunStatus} allows the move from
     * {@code from}; a move the table does not allow is refused before any SQL runs.
     */
    static String move(RunStatus from, RunStatus to) {
        return move(EnumSet.of(from), to);
    }

    static String move(Set<RunStatus> from, RunStatus to) {
        for (RunStatus s : from) {
            if (!s.canMoveTo(to)) {
                throw new IllegalArgumentException("a run cannot move from " + s + " to " + to);
            }
        }
        return "status = '" + to.name() + "'";
    }

    /** The condition that the run is still in one of {@code states}: every move is conditional on it. */
    private static String from(RunStatus state) {
        return from(EnumSet.of(state));
    }

    private static String from(Set<RunStatus> states) {
        StringJoiner in = new StringJoiner("', '", "status in ('", "')");
        states.forEach(s -> in.add(s.name()));
        return in.toString();
    }

    private String text(JsonNode node) {
        return node == null || node.isNull() ? null : json.writeValueAsString(node);
    }

    private JsonNode node(String text) {
        return text == null ? null : json.readTree(text);
    }

    private RunRecord map(ResultSet rs, int n) throws SQLException {
        return RunRecord.builder().id(rs.getString(1)).workspaceId(rs.getString(2)).modelId(rs.getString(3))
                .modelSlug(rs.getString(4)).releaseVersion(rs.getString(5)).mode(rs.getString(6)).kind(rs.getString(7))
                .scope(rs.getString(8)).status(RunStatus.valueOf(rs.getString(9))).input(node(rs.getString(10)))
                .params(node(rs.getString(11))).options(node(rs.getString(12))).output(node(rs.getString(13)))
                .error(node(rs.getString(14)))
                .usage(rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getInt(18) != 0, rs.getLong(19))
                .provider(rs.getString(20)).providerModel(rs.getString(21)).principalType(rs.getString(22))
                .userId(rs.getString(23)).keyId(rs.getString(24)).keyPrefix(rs.getString(25)).requestId(rs.getString(26))
                .entryPoint(rs.getString(27)).parentRunId(rs.getString(28)).leaseUntil(Rows.nullableLong(rs, 29))
                .createdAt(rs.getLong(30)).startedAt(Rows.nullableLong(rs, 31)).completedAt(Rows.nullableLong(rs, 32))
                .build();
    }
}
