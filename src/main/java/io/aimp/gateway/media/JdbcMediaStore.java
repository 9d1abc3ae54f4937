package io.aimp.gateway.media;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** {@link MediaStore} on SQLite and PostgreSQL with the same SQL. */
@Repository
class JdbcMediaStore implements MediaStore {

    private static final String UPLOAD_COLUMNS = "id, workspace_id, user_id, key_id, filename, content_type, media_type, "
            + "size_bytes, state, blob_key, sha256, media_id, expires_at, created_at";
    private static final String MEDIA_COLUMNS = "id, workspace_id, upload_id, filename, content_type, media_type, "
            + "size_bytes, sha256, width, height, blob_key, created_at";

    private final Database db;

    JdbcMediaStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean initiate(Upload u, long quota) {
        return db.inTransaction(() -> {
            db.jdbc().sql("insert into media_usage (workspace_id, used_bytes, reserved_bytes) values (?, 0, 0) "
                    + "on conflict (workspace_id) do nothing").param(u.workspaceId()).update();
            int reserved = db.jdbc().sql("update media_usage set reserved_bytes = reserved_bytes + ? "
                            + "where workspace_id = ? and used_bytes + reserved_bytes + ? <= ?")
                    .params(u.sizeBytes(), u.workspaceId(), u.sizeBytes(), quota).update();
            if (reserved == 0) {
                return false;
            }
            db.jdbc().sql("insert into media_uploads (" + UPLOAD_COLUMNS + ", updated_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(u.id(), u.workspaceId(), u.userId(), u.keyId(), u.filename(), u.contentType(),
                            u.kind().wireName(), u.sizeBytes(), UploadState.INITIATED.wireName(), u.blobKey(), null, null,
                            u.expiresAt(), u.createdAt(), u.createdAt())
                    .update();
            return true;
        });
    }

    @Override
    public Optional<Upload> upload(String id) {
        return db.jdbc().sql("select " + UPLOAD_COLUMNS + " from media_uploads where id = ?").param(id)
                .query(JdbcMediaStore::upload).optional();
    }

    @Override
    public boolean move(String uploadId, UploadState from, UploadState to, long now) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("an upload cannot move from " + from.wireName() + " to " + to.wireName());
        }
        return db.inTransaction(() -> {
            boolean moved = conditional(uploadId, from, to, now);
            if (moved && from.holdsReservation() && !to.holdsReservation()) {
                db.jdbc().sql("update media_usage set reserved_bytes = reserved_bytes - "
                                + "(select size_bytes from media_uploads where id = ?) "
                                + "where workspace_id = (select workspace_id from media_uploads where id = ?)")
                        .params(uploadId, uploadId).update();
            }
            return moved;
        });
    }

    @Override
    public boolean received(String uploadId, String sha256, long now) {
        return db.jdbc().sql("update media_uploads set state = ?, sha256 = ?, updated_at = ? where id = ? and state = ?")
                .params(UploadState.UPLOADED.wireName(), sha256, now, uploadId, UploadState.UPLOADING.wireName())
                .update() == 1;
    }

    @Override
    public boolean complete(String uploadId, MediaItem m, long now) {
        return db.inTransaction(() -> {
            int moved = db.jdbc().sql("update media_uploads set state = ?, media_id = ?, updated_at = ? where id = ? and state = ?")
                    .params(UploadState.COMPLETED.wireName(), m.id(), now, uploadId, UploadState.UPLOADED.wireName())
                    .update();
            if (moved == 0) {
                return false;
            }
            db.jdbc().sql("insert into media (" + MEDIA_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(m.id(), m.workspaceId(), m.uploadId(), m.filename(), m.contentType(), m.kind().wireName(),
                            m.sizeBytes(), m.sha256(), m.width(), m.height(), m.blobKey(), m.createdAt())
                    .update();
            db.jdbc().sql("update media_usage set reserved_bytes = reserved_bytes - ?, used_bytes = used_bytes + ? "
                    + "where workspace_id = ?").params(m.sizeBytes(), m.sizeBytes(), m.workspaceId()).update();
            return true;
        });
    }

    @Override
    public Optional<MediaItem> media(String workspaceId, String mediaId) {
        return db.jdbc().sql("select " + MEDIA_COLUMNS + " from media where id = ? and workspace_id = ?")
                .params(mediaId, workspaceId).query(JdbcMediaStore::media).optional();
    }

    @Override
    public List<MediaItem> list(String workspaceId, MediaKind kind, int limit, int offset) {
        if (kind == null) {
            return db.jdbc().sql("select " + MEDIA_COLUMNS + " from media where workspace_id = ? "
                            + "order by created_at desc, id desc limit ? offset ?")
                    .params(workspaceId, limit, offset).query(JdbcMediaStore::media).list();
        }
        return db.jdbc().sql("select " + MEDIA_COLUMNS + " from media where workspace_id = ? and media_type = ? "
                        + "order by created_at desc, id desc limit ? offset ?")
                .params(workspaceId, kind.wireName(), limit, offset).query(JdbcMediaStore::media).list();
    }

    @Override
    public long count(String workspaceId, MediaKind kind) {
        if (kind == null) {
            return db.jdbc().sql("select count(*) from media where workspace_id = ?").param(workspaceId)
                    .query(Long.class).single();
        }
        return db.jdbc().sql("select count(*) from media where workspace_id = ? and media_type = ?")
                .params(workspaceId, kind.wireName()).query(Long.class).single();
    }

    @Override
    public Optional<MediaItem> delete(String workspaceId, String mediaId) {
        return db.inTransaction(() -> {
            Optional<MediaItem> found = media(workspaceId, mediaId);
            if (found.isEmpty()) {
                return found;
            }
            int deleted = db.jdbc().sql("delete from media where id = ? and workspace_id = ?")
                    .params(mediaId, workspaceId).update();
            if (deleted == 0) {
                return Optional.<MediaItem>empty();
            }
            db.jdbc().sql("update media_usage set used_bytes = used_bytes - ? where workspace_id = ?")
                    .params(found.get().sizeBytes(), workspaceId).update();
            return found;
        });
    }

    @Override
    public List<Upload> abandoned(long now, long graceMillis, int limit) {
        return db.jdbc().sql("select " + UPLOAD_COLUMNS + " from media_uploads where "
                        + "(state = ? and expires_at < ?) or (state in (?, ?) and expires_at < ?) "
                        + "order by expires_at limit ?")
                .params(UploadState.INITIATED.wireName(), now, UploadState.UPLOADING.wireName(),
                        UploadState.UPLOADED.wireName(), now - graceMillis, limit)
                .query(JdbcMediaStore::upload).list();
    }

    @Override
    public Usage usage(String workspaceId) {
        return db.jdbc().sql("select used_bytes, reserved_bytes from media_usage where workspace_id = ?").param(workspaceId)
                .query((rs, i) -> new Usage(rs.getLong(1), rs.getLong(2))).optional().orElse(new Usage(0, 0));
    }

    private boolean conditional(String uploadId, UploadState from, UploadState to, long now) {
        return db.jdbc().sql("update media_uploads set state = ?, updated_at = ? where id = ? and state = ?")
                .params(to.wireName(), now, uploadId, from.wireName()).update() == 1;
    }

    private static Upload upload(ResultSet rs, int row) throws SQLException {
        return new Upload(rs.getString("id"), rs.getString("workspace_id"), rs.getString("user_id"), rs.getString("key_id"),
                rs.getString("filename"), rs.getString("content_type"), MediaKind.valueOf(rs.getString("media_type").toUpperCase(java.util.Locale.ROOT)),
                rs.getLong("size_bytes"), UploadState.fromWire(rs.getString("state")), rs.getString("blob_key"),
                rs.getString("sha256"), rs.getString("media_id"), rs.getLong("expires_at"), rs.getLong("created_at"));
    }

    private static MediaItem media(ResultSet rs, int row) throws SQLException {
        Long w = Rows.nullableLong(rs, "width");
        Long h = Rows.nullableLong(rs, "height");
        return new MediaItem(rs.getString("id"), rs.getString("workspace_id"), rs.getString("upload_id"),
                rs.getString("filename"), rs.getString("content_type"),
                MediaKind.valueOf(rs.getString("media_type").toUpperCase(java.util.Locale.ROOT)), rs.getLong("size_bytes"),
                rs.getString("sha256"), w == null ? null : w.intValue(), h == null ? null : h.intValue(),
                rs.getString("blob_key"), rs.getLong("created_at"));
    }
}
