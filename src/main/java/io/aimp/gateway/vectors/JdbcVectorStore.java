package io.aimp.gateway.vectors;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Vectors as little-endian float32 bytes; content and metadata as JSON text. Same SQL on SQLite and PostgreSQL. */
@Repository
class JdbcVectorStore implements VectorStore {

    private static final String NS = "workspace_id = ? and model_id = ? and collection = ? and scope = ?";
    private static final String NS_COLUMNS = "workspace_id, model_id, model_slug, collection, scope, dimensions, embedder, "
            + "item_count, generation, created_at, updated_at";
    private static final int IN_CHUNK = 500;
    /** How many generations of changes a namespace keeps; a node further behind rebuilds its index. */
    static final long CHANGE_LOG_GENERATIONS = 10_000;

    private final Database db;
    private final JdbcTemplate batch;

    JdbcVectorStore(Database db) {
        this.db = db;
        this.batch = new JdbcTemplate(db.dataSource());
        this.batch.setFetchSize(500);
    }

    private static Object[] ns(Namespace n, Object... more) {
        Object[] out = new Object[4 + more.length];
        out[0] = n.workspaceId();
        out[1] = n.modelId();
        out[2] = n.collection();
        out[3] = n.scope();
        System.arraycopy(more, 0, out, 4, more.length);
        return out;
    }

    @Override
    public Change upsert(Namespace n, String modelSlug, String embedder, int dimensions, List<VectorItem> items, long now) {
        return db.inTransaction(() -> {
            db.jdbc().sql("insert into vector_namespaces (" + NS_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?) "
                            + "on conflict (workspace_id, model_id, collection, scope) do nothing")
                    .params(n.workspaceId(), n.modelId(), modelSlug, n.collection(), n.scope(), dimensions, embedder, now, now)
                    .update();
            NamespaceInfo current = namespace(n).orElseThrow();
            if (current.dimensions() != dimensions || !current.embedder().equals(embedder)) {
                throw GatewayException.of(ErrorCategory.EXECUTION, "embedding_mismatch",
                        "this scope holds " + current.dimensions() + "-dimension vectors from " + current.embedder()
                                + "; the model now produced " + dimensions + "-dimension vectors from " + embedder
                                + ". Vectors of different embedders are not comparable: delete the knowledge base"
                                + " and index again, or use another scope").status(409).build();
            }
            List<Object[]> rows = new ArrayList<>(items.size());
            for (VectorItem item : items) {
                rows.add(ns(n, item.id(), toBytes(item.vector()), item.content(), item.metadata(), now, now));
            }
            // one batched statement: a thousand single inserts cost a thousand round trips
            batch.batchUpdate("insert into vector_items (workspace_id, model_id, collection, scope, item_id, vector, content, "
                    + "metadata, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "on conflict (workspace_id, model_id, collection, scope, item_id) do update set "
                    + "vector = excluded.vector, content = excluded.content, metadata = excluded.metadata, "
                    + "updated_at = excluded.updated_at", rows);
            NamespaceInfo after = bump(n, modelSlug, now);
            log(n, after.generation(), items.stream().map(VectorItem::id).toList());
            return new Change(after, items.size());
        });
    }

    @Override
    public Change delete(Namespace n, Collection<String> ids, long now) {
        return db.inTransaction(() -> {
            int deleted = 0;
            for (List<String> chunk : chunks(new ArrayList<>(ids))) {
                deleted += db.jdbc().sql("delete from vector_items where " + NS + " and item_id in (" + marks(chunk.size()) + ")")
                        .params(ns(n, chunk.toArray())).update();
            }
            if (deleted == 0) {
                return new Change(namespace(n).orElse(null), 0);
            }
            NamespaceInfo after = bump(n, null, now);
            log(n, after.generation(), ids);
            return new Change(after, deleted);
        });
    }

    @Override
    public Map<Namespace, List<String>> itemsOfMedia(String workspaceId, String mediaRef) {
        // an image item's content is written as {"media_ref":"<id>",...} (EmbeddingExecutor)
        String prefix = "{\"media_ref\":\"" + mediaRef.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "\"";
        Map<Namespace, List<String>> found = new LinkedHashMap<>();
        db.jdbc().sql("select model_id, collection, scope, item_id from vector_items "
                        + "where workspace_id = ? and content like ? escape '!'")
                .params(workspaceId, prefix + "%")
                .query(rs -> {
                    found.computeIfAbsent(new Namespace(workspaceId, rs.getString(1), rs.getString(2), rs.getString(3)),
                            k -> new ArrayList<>()).add(rs.getString(4));
                });
        return found;
    }

    private NamespaceInfo bump(Namespace n, String modelSlug, long now) {
        db.jdbc().sql("update vector_namespaces set generation = generation + 1, updated_at = ?, "
                        + "model_slug = coalesce(?, model_slug), "
                        + "item_count = (select count(*) from vector_items i where i.workspace_id = vector_namespaces.workspace_id "
                        + "and i.model_id = vector_namespaces.model_id and i.collection = vector_namespaces.collection "
                        + "and i.scope = vector_namespaces.scope) where " + NS)
                .params(now, modelSlug, n.workspaceId(), n.modelId(), n.collection(), n.scope())
                .update();
        return namespace(n).orElseThrow();
    }

    /** Records the ids a write touched at the generation it produced, and compacts the oldest generations. */
    private void log(Namespace n, long generation, Collection<String> ids) {
        List<Object[]> rows = new ArrayList<>(ids.size());
        for (String id : new LinkedHashSet<>(ids)) {
            rows.add(ns(n, generation, id));
        }
        batch.batchUpdate("insert into vector_changes (workspace_id, model_id, collection, scope, generation, item_id) "
                + "values (?, ?, ?, ?, ?, ?) on conflict do nothing", rows);
        if (generation % 100 == 0 && generation > CHANGE_LOG_GENERATIONS) {
            db.jdbc().sql("delete from vector_changes where " + NS + " and generation <= ?")
                    .params(ns(n, generation - CHANGE_LOG_GENERATIONS)).update();
        }
    }

    @Override
    public Optional<Set<String>> changedSince(Namespace n, long after, long upTo) {
        if (upTo <= after) {
            return Optional.of(Set.of());
        }
        // every write logs at least one id, so a complete log holds each generation in (after, upTo]
        long logged = db.jdbc().sql("select count(distinct generation) from vector_changes where " + NS
                        + " and generation > ? and generation <= ?")
                .params(ns(n, after, upTo)).query(Long.class).single();
        if (logged != upTo - after) {
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>(db.jdbc().sql("select distinct item_id from vector_changes where " + NS
                        + " and generation > ? and generation <= ?")
                .params(ns(n, after, upTo)).query(String.class).list());
        return Optional.of(ids);
    }

    @Override
    public List<VectorItem> withVectors(Namespace n, Collection<String> ids) {
        List<VectorItem> out = new ArrayList<>(ids.size());
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            out.addAll(db.jdbc().sql("select item_id, vector, content, metadata, created_at, updated_at from vector_items where "
                            + NS + " and item_id in (" + marks(chunk.size()) + ")")
                    .params(ns(n, chunk.toArray()))
                    .query((rs, row) -> new VectorItem(rs.getString(1), fromBytes(rs.getBytes(2)), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getLong(6)))
                    .list());
        }
        return out;
    }

    @Override
    public boolean drop(Namespace n) {
        return db.inTransaction(() -> {
            db.jdbc().sql("delete from vector_changes where " + NS).params(ns(n)).update();
            db.jdbc().sql("delete from vector_items where " + NS).params(ns(n)).update();
            return db.jdbc().sql("delete from vector_namespaces where " + NS).params(ns(n)).update() > 0;
        });
    }

    @Override
    public Optional<NamespaceInfo> namespace(Namespace n) {
        return db.jdbc().sql("select " + NS_COLUMNS + " from vector_namespaces where " + NS).params(ns(n))
                .query(JdbcVectorStore::namespaceRow).optional();
    }

    @Override
    public Optional<NamespaceInfo> find(String workspaceId, String model, String collection, String scope) {
        return db.jdbc().sql("select " + NS_COLUMNS + " from vector_namespaces where workspace_id = ? "
                        + "and (model_id = ? or model_slug = ?) and collection = ? and scope = ? order by model_id")
                .params(workspaceId, model, model, collection, scope)
                .query(JdbcVectorStore::namespaceRow).list().stream().findFirst();
    }

    @Override
    public List<NamespaceInfo> namespaces(String workspaceId) {
        return db.jdbc().sql("select " + NS_COLUMNS + " from vector_namespaces where workspace_id = ? "
                        + "order by model_slug, collection, scope")
                .params(workspaceId).query(JdbcVectorStore::namespaceRow).list();
    }

    @Override
    public void forEach(Namespace n, Consumer<VectorItem> consumer) {
        String sql = "select item_id, vector, content, metadata, created_at, updated_at from vector_items where " + NS
                + " order by item_id";
        Runnable read = () -> batch.query(sql, (ResultSet rs) -> {
            consumer.accept(new VectorItem(rs.getString(1), fromBytes(rs.getBytes(2)), rs.getString(3),
                    rs.getString(4), rs.getLong(5), rs.getLong(6)));
        }, ns(n));
        if (db.dialect() == Dialect.POSTGRESQL) {
            // PostgreSQL streams rows (fetch size) only inside a transaction; otherwise it reads them all first
            db.inTransaction(read);
        } else {
            read.run(); // on SQLite a transaction would take the write lock for the whole read
        }
    }

    @Override
    public Map<String, VectorItem> find(Namespace n, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, VectorItem> out = new LinkedHashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            db.jdbc().sql("select item_id, content, metadata, created_at, updated_at from vector_items where " + NS
                            + " and item_id in (" + marks(chunk.size()) + ")")
                    .params(ns(n, chunk.toArray()))
                    .query(JdbcVectorStore::itemRow).list()
                    .forEach(i -> out.put(i.id(), i));
        }
        return out;
    }

    @Override
    public List<VectorItem> page(Namespace n, int limit, int offset) {
        return db.jdbc().sql("select item_id, content, metadata, created_at, updated_at from vector_items where " + NS
                        + " order by item_id limit ? offset ?")
                .params(ns(n, limit, offset))
                .query(JdbcVectorStore::itemRow).list();
    }

    private static VectorItem itemRow(ResultSet rs, int row) throws SQLException {
        return new VectorItem(rs.getString(1), null, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
    }

    private static NamespaceInfo namespaceRow(ResultSet rs, int row) throws SQLException {
        return new NamespaceInfo(new Namespace(rs.getString(1), rs.getString(2), rs.getString(4), rs.getString(5)),
                rs.getString(3), rs.getInt(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11));
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] fromBytes(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }
}
