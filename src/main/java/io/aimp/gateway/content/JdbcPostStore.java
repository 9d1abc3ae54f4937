package io.aimp.gateway.content;

import io.aimp.gateway.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** {@link PostStore} on SQLite and PostgreSQL with the same SQL; tags, categories and metadata are JSON text. */
@Repository
class JdbcPostStore implements PostStore {

    private static final String FIELDS = "post_type, status, title, content_html, excerpt, tags, categories, "
            + "seo_description, metadata, featured_image";
    private static final String POST_COLUMNS = "id, workspace_id, user_id, " + FIELDS + ", revision, created_at, updated_at";
    private static final String REVISION_COLUMNS = "post_id, revision, workspace_id, " + FIELDS
            + ", run_id, model, release_version, operation, user_id, created_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Database db;
    private final ObjectMapper json;

    JdbcPostStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public void create(Post p, Revision r) {
        db.inTransaction(() -> {
            db.jdbc().sql("insert into content_posts (" + POST_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(p.id(), p.workspaceId(), p.userId(), p.postType(), p.status(), p.title(), p.contentHtml(),
                            p.excerpt(), json.writeValueAsString(p.tags()), json.writeValueAsString(p.categories()),
                            p.seoDescription(), metadata(p), p.featuredImage(), 1, p.createdAt(), p.updatedAt())
                    .update();
            insertRevision(new Revision(p.withRevision(1, p.updatedAt()), 1, r.runId(), r.model(), r.release(),
                    r.operation(), r.userId(), r.createdAt()));
        });
    }

    @Override
    public boolean append(Revision r) {
        Post p = r.post();
        return db.inTransaction(() -> {
            int changed = db.jdbc().sql("update content_posts set post_type = ?, status = ?, title = ?, content_html = ?, "
                            + "excerpt = ?, tags = ?, categories = ?, seo_description = ?, metadata = ?, featured_image = ?, "
                            + "revision = ?, "
                            + "updated_at = ? where workspace_id = ? and id = ? and revision = ?")
                    .params(p.postType(), p.status(), p.title(), p.contentHtml(), p.excerpt(),
                            json.writeValueAsString(p.tags()), json.writeValueAsString(p.categories()), p.seoDescription(),
                            metadata(p), p.featuredImage(), r.number(), r.createdAt(), p.workspaceId(), p.id(),
                            r.number() - 1)
                    .update();
            if (changed != 1) {
                return false;
            }
            insertRevision(r);
            return true;
        });
    }

    private void insertRevision(Revision r) {
        Post p = r.post();
        db.jdbc().sql("insert into content_revisions (" + REVISION_COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(p.id(), r.number(), p.workspaceId(), p.postType(), p.status(), p.title(), p.contentHtml(),
                        p.excerpt(), json.writeValueAsString(p.tags()), json.writeValueAsString(p.categories()),
                        p.seoDescription(), metadata(p), p.featuredImage(), r.runId(), r.model(), r.release(), r.operation(), r.userId(),
                        r.createdAt())
                .update();
    }

    private String metadata(Post p) {
        return p.metadata() == null ? "{}" : json.writeValueAsString(p.metadata());
    }

    @Override
    public Optional<Post> find(String workspaceId, String id) {
        return db.jdbc().sql("select " + POST_COLUMNS + " from content_posts where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(this::post).optional();
    }

    @Override
    public List<Post> list(Query q) {
        List<Object> args = new ArrayList<>();
        String where = where(q, args);
        args.add(q.limit());
        args.add(q.offset());
        return db.jdbc().sql("select " + POST_COLUMNS + " from content_posts" + where
                        + " order by created_at desc, id desc limit ? offset ?")
                .params(args).query(this::post).list();
    }

    @Override
    public long count(Query q) {
        List<Object> args = new ArrayList<>();
        return db.jdbc().sql("select count(*) from content_posts" + where(q, args)).params(args).query(Long.class).single();
    }

    private String where(Query q, List<Object> args) {
        StringBuilder sb = new StringBuilder(" where workspace_id = ?");
        args.add(q.workspaceId());
        equal(sb, args, "user_id", q.userId());
        equal(sb, args, "status", q.status());
        equal(sb, args, "post_type", q.postType());
        if (q.category() != null) {
            sb.append(" and categories like ? escape '\\'");
            args.add("%" + like(json.writeValueAsString(q.category())) + "%");
        }
        if (q.tag() != null) {
            sb.append(" and tags like ? escape '\\'");
            args.add("%" + like(json.writeValueAsString(q.tag())) + "%");
        }
        if (q.text() != null) {
            String pattern = "%" + like(q.text().toLowerCase(Locale.ROOT)) + "%";
            sb.append(" and (lower(coalesce(title, '')) like ? escape '\\' or lower(content_html) like ? escape '\\')");
            args.add(pattern);
            args.add(pattern);
        }
        if (q.createdFrom() != null) {
            sb.append(" and created_at >= ?");
            args.add(q.createdFrom());
        }
        if (q.createdTo() != null) {
            sb.append(" and created_at < ?");
            args.add(q.createdTo());
        }
        return sb.toString();
    }

    private static void equal(StringBuilder sb, List<Object> args, String column, String value) {
        if (value != null) {
            sb.append(" and ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public List<Revision> revisions(String workspaceId, String postId) {
        return db.jdbc().sql("select " + REVISION_COLUMNS + " from content_revisions where workspace_id = ? and post_id = ? "
                        + "order by revision desc")
                .params(workspaceId, postId).query(this::revision).list();
    }

    @Override
    public Optional<Revision> revision(String workspaceId, String postId, int number) {
        return db.jdbc().sql("select " + REVISION_COLUMNS + " from content_revisions where workspace_id = ? and post_id = ? "
                        + "and revision = ?")
                .params(workspaceId, postId, number).query(this::revision).optional();
    }

    @Override
    public boolean editedBy(String workspaceId, String postId, String model, String release, String operation) {
        return db.jdbc().sql("select count(*) from content_revisions where workspace_id = ? and post_id = ? and model = ? "
                        + "and release_version = ? and operation = ?")
                .params(workspaceId, postId, model, release, operation).query(Long.class).single() > 0;
    }

    @Override
    public boolean delete(String workspaceId, String id) {
        return db.inTransaction(() -> {
            db.jdbc().sql("delete from content_revisions where workspace_id = ? and post_id = ?").params(workspaceId, id).update();
            return db.jdbc().sql("delete from content_posts where workspace_id = ? and id = ?").params(workspaceId, id).update() == 1;
        });
    }

    private Post post(ResultSet rs, int row) throws SQLException {
        return new Post(rs.getString("id"), rs.getString("workspace_id"), rs.getString("user_id"), rs.getString("post_type"),
                rs.getString("status"), rs.getString("title"), rs.getString("content_html"), rs.getString("excerpt"),
                json.readValue(rs.getString("tags"), STRINGS), json.readValue(rs.getString("categories"), STRINGS),
                rs.getString("seo_description"), json.readTree(rs.getString("metadata")), rs.getString("featured_image"),
                rs.getInt("revision"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private Revision revision(ResultSet rs, int row) throws SQLException {
        int n = rs.getInt("revision");
        Post p = new Post(rs.getString("post_id"), rs.getString("workspace_id"), null, rs.getString("post_type"),
                rs.getString("status"), rs.getString("title"), rs.getString("content_html"), rs.getString("excerpt"),
                json.readValue(rs.getString("tags"), STRINGS), json.readValue(rs.getString("categories"), STRINGS),
                rs.getString("seo_description"), json.readTree(rs.getString("metadata")), rs.getString("featured_image"), n, 0,
                rs.getLong("created_at"));
        return new Revision(p, n, rs.getString("run_id"), rs.getString("model"), rs.getString("release_version"),
                rs.getString("operation"), rs.getString("user_id"), rs.getLong("created_at"));
    }
}
