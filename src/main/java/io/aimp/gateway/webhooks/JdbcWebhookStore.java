package io.aimp.gateway.webhooks;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcWebhookStore implements WebhookStore {

    private static final String ENDPOINT_COLUMNS = "id, workspace_id, url, events, secret, description, created_by, created_at";
    private static final String DELIVERY_COLUMNS = "id, workspace_id, endpoint_id, event_id, event_type, payload, status, "
            + "attempts, next_attempt_at, lease_until, response_status, last_error, created_at, updated_at, completed_at";

    /** The first key of the advisory lock that guards the endpoint cap ("Whks"; the job cap's is "Jobs"). */
    private static final int ENDPOINT_CAP_LOCK = 0x57686b73;

    private final Database db;

    JdbcWebhookStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean insertEndpoint(WebhookEndpoint e, int max) {
        return db.inTransaction(() -> {
            lockEndpointCap(e.workspaceId());
            // one statement: the endpoint is written only while the workspace is below its cap
            return db.jdbc().sql("insert into webhook_endpoints (" + ENDPOINT_COLUMNS + ") select ?, ?, ?, ?, ?, ?, ?, ? "
                            + "where (select count(*) from webhook_endpoints w where w.workspace_id = ?) < ?")
                    .params(e.id(), e.workspaceId(), e.url(), events(e.events()), e.secret(), e.description(), e.createdBy(),
                            e.createdAt(), e.workspaceId(), max)
                    .update() == 1;
        });
    }

    /**
     * Serialises the endpoint-cap checks of one workspace until the transaction ends, so the count in the
     * insert sees every endpoint committed before (on PostgreSQL two transactions would otherwise each count
     * the rows committed before both, and both insert). PostgreSQL: a transaction-scoped advisory lock on
     * (endpoint-cap class, workspace hash), as the job cap takes. SQLite: every write transaction already
     * runs alone ({@code BEGIN IMMEDIATE}).
     */
    private void lockEndpointCap(String workspaceId) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            db.jdbc().sql("select pg_advisory_xact_lock(?, hashtext(?))").params(ENDPOINT_CAP_LOCK, workspaceId)
                    .query((rs, n) -> 1).list();
        }
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(String workspaceId, String id) {
        return db.jdbc().sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(this::endpoint).optional();
    }

    @Override
    public List<WebhookEndpoint> endpoints(String workspaceId) {
        return db.jdbc().sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where workspace_id = ? "
                        + "order by created_at, id")
                .param(workspaceId).query(this::endpoint).list();
    }

    @Override
    public boolean deleteEndpoint(String workspaceId, String id) {
        return db.inTransaction(() -> {
            int deleted = db.jdbc().sql("delete from webhook_endpoints where workspace_id = ? and id = ?")
                    .params(workspaceId, id).update();
            if (deleted == 1) {
                db.jdbc().sql("delete from webhook_deliveries where workspace_id = ? and endpoint_id = ?")
                        .params(workspaceId, id).update();
            }
            return deleted == 1;
        });
    }

    @Override
    public List<WebhookEndpoint> subscribed(String workspaceId, String eventType) {
        // events are stored as ",a,b,": one exact name matches ",name,"
        return db.jdbc().sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints where workspace_id = ? "
                        + "and events like ? order by created_at, id")
                .params(workspaceId, "%," + eventType + ",%").query(this::endpoint).list();
    }

    @Override
    public void insertDelivery(WebhookDelivery d) {
        db.update("insert into webhook_deliveries (" + DELIVERY_COLUMNS + ") values "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id(), d.workspaceId(), d.endpointId(), d.eventId(), d.eventType(), d.payload(), d.status().name(),
                d.attempts(), d.nextAttemptAt(), d.leaseUntil(), d.responseStatus(), d.lastError(), d.createdAt(),
                d.updatedAt(), d.completedAt());
    }

    @Override
    public List<WebhookDelivery> deliveries(String workspaceId, String endpointId, int limit, int offset) {
        return db.jdbc().sql("select " + DELIVERY_COLUMNS + " from webhook_deliveries where workspace_id = ? "
                        + "and endpoint_id = ? order by created_at desc, id desc limit ? offset ?")
                .params(workspaceId, endpointId, limit, offset).query(this::delivery).list();
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(String id) {
        return db.jdbc().sql("select " + DELIVERY_COLUMNS + " from webhook_deliveries where id = ?")
                .param(id).query(this::delivery).optional();
    }

    @Override
    public List<Claimed> claim(int max, long now, long leaseUntil) {
        String pick = "select id from webhook_deliveries where (status = 'PENDING' and next_attempt_at <= ?) "
                + "or (status = 'DELIVERING' and lease_until < ?) order by next_attempt_at, id limit ?"
                + (db.dialect() == Dialect.POSTGRESQL ? " for update skip locked" : "");
        return db.inTransaction(() -> {
            List<String> ids = db.jdbc().sql(pick).params(now, now, max).query(String.class).list();
            List<Claimed> claimed = new ArrayList<>(ids.size());
            for (String id : ids) {
                int updated = db.jdbc().sql("update webhook_deliveries set status = 'DELIVERING', attempts = attempts + 1, "
                                + "lease_until = ?, updated_at = ? where id = ? and ((status = 'PENDING' and next_attempt_at <= ?) "
                                + "or (status = 'DELIVERING' and lease_until < ?))")
                        .params(leaseUntil, now, id, now, now).update();
                if (updated == 1) {
                    db.jdbc().sql("select d.id, d.workspace_id, d.endpoint_id, d.event_id, d.event_type, d.payload, "
                                    + "d.status, d.attempts, d.next_attempt_at, d.lease_until, d.response_status, d.last_error, "
                                    + "d.created_at, d.updated_at, d.completed_at, e.url, e.secret from webhook_deliveries d "
                                    + "join webhook_endpoints e on e.id = d.endpoint_id where d.id = ?")
                            .param(id).query((rs, n) -> new Claimed(delivery(rs, n), rs.getString("url"), rs.getString("secret")))
                            .optional().ifPresent(claimed::add);
                }
            }
            return claimed;
        });
    }

    @Override
    public boolean record(String id, int attempt, DeliveryStatus to, Integer responseStatus, String error,
                          long nextAttemptAt, long now) {
        if (!DeliveryStatus.DELIVERING.canMoveTo(to) || to == DeliveryStatus.DELIVERING) {
            throw new IllegalArgumentException("an attempt ends a delivery or schedules the next, not " + to);
        }
        Long completed = to == DeliveryStatus.PENDING ? null : now;
        return db.jdbc().sql("update webhook_deliveries set status = ?, response_status = ?, last_error = ?, "
                        + "next_attempt_at = ?, lease_until = null, updated_at = ?, completed_at = ? "
                        + "where id = ? and status = 'DELIVERING' and attempts = ?")
                .params(to.name(), responseStatus, error, nextAttemptAt, now, completed, id, attempt).update() == 1;
    }

    @Override
    public int releaseAll(long now) {
        return db.jdbc().sql("update webhook_deliveries set status = 'PENDING', lease_until = null, next_attempt_at = ?, "
                        + "updated_at = ? where status = 'DELIVERING'")
                .params(now, now).update();
    }

    @Override
    public long countPending() {
        return db.jdbc().sql("select count(*) from webhook_deliveries where status in ('PENDING', 'DELIVERING')")
                .query(Long.class).single();
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static String events(List<String> events) {
        return "," + String.join(",", events) + ",";
    }

    private WebhookEndpoint endpoint(ResultSet rs, int n) throws SQLException {
        List<String> events = Arrays.stream(rs.getString("events").split(",")).filter(s -> !s.isEmpty()).toList();
        return new WebhookEndpoint(rs.getString("id"), rs.getString("workspace_id"), rs.getString("url"), events,
                rs.getString("secret"), rs.getString("description"), rs.getString("created_by"), rs.getLong("created_at"));
    }

    private WebhookDelivery delivery(ResultSet rs, int n) throws SQLException {
        return new WebhookDelivery(rs.getString("id"), rs.getString("workspace_id"), rs.getString("endpoint_id"),
                rs.getString("event_id"), rs.getString("event_type"), rs.getString("payload"),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getLong("next_attempt_at"),
                Rows.nullableLong(rs, "lease_until"), nullableInt(rs, "response_status"), rs.getString("last_error"), rs.getLong("created_at"),
                rs.getLong("updated_at"), Rows.nullableLong(rs, "completed_at"));
    }
}
