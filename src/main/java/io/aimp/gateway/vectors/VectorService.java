package io.aimp.gateway.vectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.storage.StorageProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Vector namespaces: index, search, delete and knowledge bases. The database ({@link VectorStore}) is
 * the source of truth; this node derives from it an in-memory copy of each small namespace (searched
 * exactly) and an HNSW index per large namespace under {@code <data-dir>/vectors/<workspace>/}. An index
 * whose recorded generation is behind the database's (written by another node) catches up from the
 * change log: only the items written since its generation are applied; it is rebuilt only when missing,
 * when the log was compacted past its generation, or when the namespace was re-created. Writes to one namespace are serialised on this node; a write is committed to the database,
 * then to the index, and is visible to the next search when the call returns. Searches run
 * concurrently with writes. Every namespace key contains the workspace id: nothing is shared across
 * workspaces.
 */
@Service
public class VectorService implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(VectorService.class);
    private static final int LOCK_STRIPES = 256;

    private final VectorStore store;
    private final VectorProperties properties;
    private final Path root;
    private final Clock clock;
    private final CatalogService catalog;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final Map<String, LuceneIndex> lucene = new ConcurrentHashMap<>();
    private final Cache<String, ExactIndex> exact;
    private final LongAdder caughtUpItems = new LongAdder();
    private final LongAdder rebuilds = new LongAdder();

    @Autowired
    VectorService(VectorStore store, VectorProperties properties, StorageProperties storage, Clock clock,
                  CatalogService catalog) {
        this(store, properties, storage.dataDir().resolve("vectors"), clock, catalog);
    }

    VectorService(VectorStore store, VectorProperties properties, Path root, Clock clock, CatalogService catalog) {
        this.store = store;
        this.properties = properties;
        this.root = root;
        this.clock = clock;
        this.catalog = catalog;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        this.exact = Caffeine.newBuilder().maximumWeight(properties.cachedVectors())
                .weigher((String k, ExactIndex v) -> v.size() + 1).build();
    }

    /** How far behind the database an index was when it caught up; a no-op until bound to a registry. */
    private volatile DistributionSummary catchUpLag = DistributionSummary.builder("aimp.vector.catchup.lag")
            .register(new CompositeMeterRegistry());

    @Override
    public void bindTo(MeterRegistry registry) {
        catchUpLag = DistributionSummary.builder("aimp.vector.catchup.lag").baseUnit("generations")
                .description("writes (generations) an index on this node was behind the database when a search or"
                        + " write brought it up to date").register(registry);
        FunctionCounter.builder("aimp.vector.rebuilds", rebuilds, LongAdder::sum)
                .description("indexes rebuilt from the database (missing, or too far behind the change log)")
                .register(registry);
        FunctionCounter.builder("aimp.vector.catchup.items", caughtUpItems, LongAdder::sum)
                .description("items applied from the change log to bring indexes up to date").register(registry);
    }

    /** The namespace a published embedding model uses for {@code scope} in a workspace. */
    public static Namespace namespace(String workspaceId, PublishedModel model, String scope) {
        return new Namespace(workspaceId, model.id(), EmbeddingSettings.of(model).collection(), scope);
    }

    /**
     * Inserts or replaces items (unit vectors) by id.
     *
     * @param embedder {@code provider/model} that computed the vectors
     * @throws GatewayException 409 {@code embedding_mismatch} when the namespace holds other vectors
     */
    public VectorStore.Change upsert(Namespace ns, String modelSlug, String embedder, List<VectorItem> items) {
        int dimensions = items.getFirst().vector().length;
        ReentrantLock lock = lock(ns);
        lock.lock();
        try {
            VectorStore.Change change = store.upsert(ns, modelSlug, embedder, dimensions, items, clock.millis());
            afterWrite(ns, change.namespace(), items, List.of());
            return change;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes items by id; returns how many existed. */
    public int delete(Namespace ns, Collection<String> ids) {
        ReentrantLock lock = lock(ns);
        lock.lock();
        try {
            VectorStore.Change change = store.delete(ns, ids, clock.millis());
            if (change.affected() > 0) {
                afterWrite(ns, change.namespace(), List.of(), ids);
            }
            return change.affected();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes, in the caller's transaction, the items that index the media object {@code mediaRef}, so
     * a deleted image is never found again.
     *
     * @return what brings this node's indexes up to date; run it after the commit
     */
    public Runnable deleteItemsOfMedia(String workspaceId, String mediaRef) {
        List<Runnable> after = new ArrayList<>();
        store.itemsOfMedia(workspaceId, mediaRef).forEach((ns, ids) -> {
            VectorStore.Change change = store.delete(ns, ids, clock.millis());
            if (change.affected() > 0) {
                after.add(() -> {
                    ReentrantLock lock = lock(ns);
                    lock.lock();
                    try {
                        afterWrite(ns, change.namespace(), List.of(), ids);
                    } finally {
                        lock.unlock();
                    }
                });
            }
        });
        return () -> after.forEach(Runnable::run);
    }

    /**
     * The {@code topK} items most similar to {@code query} (a unit vector), best first, with their
     * content and metadata. An empty or unknown namespace has no results.
     *
     * @param minScore  cosine similarity below which items are left out
     * @param filter    metadata terms ({@link MetadataTerms}) every result must match
     * @param embedder  {@code provider/model} of the query vector, or {@code null} to skip the check
     * @throws GatewayException 409 {@code embedding_mismatch} when the query vector is not comparable
     */
    public List<SearchHit> search(Namespace ns, float[] query, int topK, double minScore, Map<String, String> filter,
                                  String embedder) {
        NamespaceInfo info = store.namespace(ns).orElse(null);
        if (info == null || info.itemCount() == 0) {
            return List.of();
        }
        if (info.dimensions() != query.length || (embedder != null && !embedder.equals(info.embedder()))) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "embedding_mismatch",
                    "this scope holds " + info.dimensions() + "-dimension vectors from " + info.embedder()
                            + "; the query was embedded as " + query.length + " dimensions by "
                            + (embedder == null ? "another embedder" : embedder)).status(409).build();
        }
        List<LuceneIndex.Hit> hits;
        try {
            hits = usesLucene(info) ? luceneSearch(ns, info, query, topK, minScore, filter)
                    : exactIndex(ns, info).search(query, topK, minScore, filter);
        } catch (AlreadyClosedException e) {
            return List.of(); // the namespace was deleted while this search ran
        } catch (IOException e) {
            log.error("vector index of a namespace failed to search", e);
            throw unavailable();
        }
        Map<String, VectorItem> items = store.find(ns, hits.stream().map(LuceneIndex.Hit::id).toList());
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (LuceneIndex.Hit h : hits) {
            VectorItem item = items.get(h.id());
            if (item != null) { // deleted since the search: leave it out
                out.add(SearchHit.of(h.id(), h.score(), item.content(), item.metadata()));
            }
        }
        return out;
    }

    /**
     * Retrieval for other features (e.g. a chatbot's knowledge base): embeds {@code queryText} with the
     * published embedding model's routes and searches its namespace. The embedding is a metered call of
     * {@code run}: its attempts are in that run's log, its cost in that run's charge, within its deadline.
     *
     * @param collection the model's collection, or {@code null} for it
     * @throws GatewayException 404 when the model is not an embedding model visible to the workspace,
     *         400 when {@code collection} is not the model's, {@code provider} when every route failed
     */
    public List<SearchHit> search(Execution run, String model, String collection, String scope, String queryText,
                                  int topK, double minScore) {
        String workspaceId = run.principal().workspaceId();
        PublishedModel m = catalog.find(model).filter(x -> x.visibleTo(workspaceId) && x.kind().equals(Kind.EMBEDDING))
                .orElseThrow(() -> GatewayException.notFound("embedding model " + model));
        EmbeddingSettings settings = EmbeddingSettings.of(m);
        if (collection == null) {
            collection = settings.collection();
        } else if (!settings.collection().equals(collection)) {
            throw GatewayException.invalid("unknown_collection", "model " + m.slug() + " indexes collection "
                    + settings.collection() + ", not " + collection);
        }
        Embeddings.Embedded e = Embeddings.forRun(run, m.current(), List.of(queryText));
        return search(new Namespace(workspaceId, m.id(), collection, scope), e.vectors().getFirst(), topK, minScore,
                Map.of(), e.embedder());
    }

    /** The workspace's knowledge bases (namespaces), by model slug, collection and scope. */
    public List<NamespaceInfo> knowledgeBases(Principal principal) {
        principal.require(Permission.RUN_MODELS);
        return store.namespaces(principal.workspaceId());
    }

    /** One knowledge base of the principal's workspace; 404 when there is none (or it is another workspace's). */
    public NamespaceInfo knowledgeBase(Principal principal, String model, String collection, String scope) {
        principal.require(Permission.RUN_MODELS);
        return find(principal, model, collection, scope);
    }

    /** A page of a knowledge base's items in id order, without vectors. */
    public List<VectorItem> items(Principal principal, String model, String collection, String scope, int limit,
                                  int offset) {
        principal.require(Permission.RUN_MODELS);
        if (limit < 1 || limit > 200) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and 200");
        }
        if (offset < 0) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be 0 or more");
        }
        return store.page(find(principal, model, collection, scope).namespace(), limit, offset);
    }

    /** Deletes a knowledge base with all its items and its index files (admin and up). */
    public NamespaceInfo drop(Principal principal, String model, String collection, String scope) {
        principal.require(Permission.MANAGE_KNOWLEDGE_BASES);
        NamespaceInfo info = find(principal, model, collection, scope);
        Namespace ns = info.namespace();
        ReentrantLock lock = lock(ns);
        lock.lock();
        try {
            store.drop(ns);
            exact.invalidate(ns.key());
            LuceneIndex idx = lucene.remove(ns.key());
            closeQuietly(idx);
            deleteTree(indexPath(ns));
        } finally {
            lock.unlock();
        }
        return info;
    }

    private NamespaceInfo find(Principal principal, String model, String collection, String scope) {
        return store.find(principal.workspaceId(), model, collection, scope)
                .orElseThrow(() -> GatewayException.notFound("knowledge base " + Printable.of(model) + "/" + Printable.of(collection)
                        + "/" + Printable.of(scope)));
    }

    private boolean usesLucene(NamespaceInfo info) {
        return info.itemCount() >= properties.exactSearchBelow() && info.dimensions() <= LuceneIndex.MAX_DIMENSIONS;
    }

    /** Brings this node's derived copies up to the write just committed; called under the namespace lock. */
    private void afterWrite(Namespace ns, NamespaceInfo info, List<VectorItem> upserts, Collection<String> deletes) {
        exact.invalidate(ns.key());
        if (info == null) {
            return;
        }
        LuceneIndex idx = lucene.get(ns.key());
        if (idx == null && !usesLucene(info)) {
            return; // built when the namespace first needs it
        }
        try {
            if (idx == null) {
                idx = openIndex(ns);
            }
            if (idx.isOneBehind(info)) {
                idx.apply(upserts, deletes, info);
            } else if (!idx.isAt(info)) {
                catchUp(ns, idx, info);
            }
        } catch (IOException | RuntimeException e) {
            // the database has the write; the index is rebuilt from it by the next search
            log.warn("vector index update failed; it will be rebuilt", e);
            discard(ns);
        }
    }

    private List<LuceneIndex.Hit> luceneSearch(Namespace ns, NamespaceInfo info, float[] query, int topK, double minScore,
                                               Map<String, String> filter) throws IOException {
        LuceneIndex idx = lucene.get(ns.key());
        if (idx == null || !idx.isAt(info)) {
            ReentrantLock lock = lock(ns);
            lock.lock();
            try {
                NamespaceInfo now = store.namespace(ns).orElse(info);
                idx = lucene.get(ns.key());
                if (idx == null) {
                    idx = openIndex(ns);
                }
                if (!idx.isAt(now)) {
                    catchUp(ns, idx, now);
                }
            } catch (IOException | RuntimeException e) {
                discard(ns);
                throw e;
            } finally {
                lock.unlock();
            }
        }
        List<LuceneIndex.Hit> hits = new ArrayList<>();
        for (LuceneIndex.Hit h : idx.search(query, topK, properties.hnswCandidates(), filter)) {
            if (h.score() >= minScore) {
                hits.add(h);
            }
        }
        return hits;
    }

    /**
     * Brings an index that is behind up to {@code info}: from the change log, applying the current state of
     * only the ids written since its generation (another node's writes); by a full rebuild when the log no
     * longer reaches back that far, or the index belongs to a namespace that was dropped and re-created.
     */
    private void catchUp(Namespace ns, LuceneIndex idx, NamespaceInfo info) throws IOException {
        if (idx.isBehindInSameEpoch(info)) {
            catchUpLag.record(Math.max(0, info.generation() - idx.generation()));
            Optional<Set<String>> changed = store.changedSince(ns, idx.generation(), info.generation());
            if (changed.isPresent()) {
                List<VectorItem> current = store.withVectors(ns, changed.get());
                Set<String> deleted = new HashSet<>(changed.get());
                current.forEach(i -> deleted.remove(i.id()));
                idx.apply(current, deleted, info);
                caughtUpItems.add(changed.get().size());
                return;
            }
        }
        rebuild(ns, idx, info);
    }

    /** How many items this node applied from the change log, and how many full rebuilds it made (metrics, tests). */
    long caughtUpItems() {
        return caughtUpItems.sum();
    }

    long rebuilds() {
        return rebuilds.sum();
    }

    private void rebuild(Namespace ns, LuceneIndex idx, NamespaceInfo info) throws IOException {
        rebuilds.increment();
        long started = System.nanoTime();
        idx.rebuild(consumer -> store.forEach(ns, consumer), info);
        log.info("rebuilt a vector index of {} items in {} ms", info.itemCount(), (System.nanoTime() - started) / 1_000_000);
    }

    private LuceneIndex openIndex(Namespace ns) throws IOException {
        Path path = indexPath(ns);
        Files.createDirectories(path);
        LuceneIndex idx = LuceneIndex.open(path);
        lucene.put(ns.key(), idx);
        return idx;
    }

    private ExactIndex exactIndex(Namespace ns, NamespaceInfo info) {
        ExactIndex cached = exact.getIfPresent(ns.key());
        if (cached != null && cached.isAt(info)) {
            return cached;
        }
        ReentrantLock lock = lock(ns);
        lock.lock();
        try {
            NamespaceInfo now = store.namespace(ns).orElse(info);
            cached = exact.getIfPresent(ns.key());
            if (cached != null && cached.isAt(now)) {
                return cached;
            }
            ExactIndex loaded = new ExactIndex(now);
            store.forEach(ns, loaded::add);
            exact.put(ns.key(), loaded);
            return loaded;
        } finally {
            lock.unlock();
        }
    }

    private void discard(Namespace ns) {
        closeQuietly(lucene.remove(ns.key()));
    }

    private Path indexPath(Namespace ns) {
        return root.resolve(ns.workspaceFolderName()).resolve(ns.folderName());
    }

    private ReentrantLock lock(Namespace ns) {
        return locks[Math.floorMod(ns.key().hashCode(), LOCK_STRIPES)];
    }

    @PreDestroy
    void close() {
        lucene.values().forEach(VectorService::closeQuietly);
        lucene.clear();
    }

    private static void closeQuietly(LuceneIndex idx) {
        if (idx != null) {
            try {
                idx.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing a vector index failed", e);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a vector index folder", e);
        }
    }

    private static GatewayException unavailable() {
        return GatewayException.of(ErrorCategory.EXECUTION, "vector_index_unavailable",
                "the vector index could not be searched; try again").status(503).build();
    }


    /**
     * A knowledge base as the API shows it, the same on REST ({@code /api/knowledge-bases}) and MCP
     * ({@code aimp://knowledge-bases}); internal bookkeeping (the index generation) stays out.
     */
    public static Map<String, Object> view(NamespaceInfo kb) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("object", "knowledge_base");
        m.put("model", kb.modelSlug());
        m.put("model_id", kb.namespace().modelId());
        m.put("collection", kb.namespace().collection());
        m.put("scope", kb.namespace().scope());
        m.put("items", kb.itemCount());
        m.put("dimensions", kb.dimensions());
        m.put("embedder", kb.embedder());
        m.put("created_at", io.aimp.gateway.common.Times.instant(kb.createdAt()));
        m.put("updated_at", io.aimp.gateway.common.Times.instant(kb.updatedAt()));
        return m;
    }
}
