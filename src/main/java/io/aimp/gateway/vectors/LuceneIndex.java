package io.aimp.gateway.vectors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * The HNSW index of one namespace on this node, derived from the database. Its commit user data
 * records the namespace generation and creation time it reflects, so a stale or foreign copy is
 * recognised and rebuilt. Writers serialise through {@link VectorService}'s namespace locks; searches
 * run concurrently on the latest committed and refreshed searcher.
 */
final class LuceneIndex implements Closeable {

    /** Lucene's HNSW format limit; larger vectors are searched exactly. */
    static final int MAX_DIMENSIONS = 1024;

    private static final String ID = "id";
    private static final String VECTOR = "v";
    private static final String META = "m.";
    private static final String GENERATION = "generation";
    private static final String EPOCH = "epoch";

    private final Path path;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile long generation;
    private volatile long epoch;

    /** A hit: item id and cosine similarity. */
    record Hit(String id, double score) {
    }

    private LuceneIndex(Path path) throws IOException {
        this.path = path;
        this.directory = FSDirectory.open(path);
        long gen = -1;
        long ep = -1;
        if (DirectoryReader.indexExists(directory)) {
            Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
            gen = Long.parseLong(data.getOrDefault(GENERATION, "-1"));
            ep = Long.parseLong(data.getOrDefault(EPOCH, "-1"));
        }
        IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, null);
        this.generation = gen;
        this.epoch = ep;
    }

    static LuceneIndex open(Path path) throws IOException {
        return new LuceneIndex(path);
    }

    Path path() {
        return path;
    }

    /** Whether the index reflects exactly this state of the namespace. */
    boolean isAt(NamespaceInfo info) {
        return generation == info.generation() && epoch == info.createdAt();
    }

    /** Whether one write moved the namespace on from this index's state (so applying it catches up). */
    boolean isOneBehind(NamespaceInfo info) {
        return generation == info.generation() - 1 && epoch == info.createdAt();
    }

    /** Whether writes since this index's state (of the same namespace, not a re-created one) can be applied to it. */
    boolean isBehindInSameEpoch(NamespaceInfo info) {
        return epoch == info.createdAt() && generation >= 0 && generation < info.generation();
    }

    /** The namespace generation this index reflects ({@code -1} when empty). */
    long generation() {
        return generation;
    }

    /** Replaces the whole index with what {@code source} hands over, committed at {@code info}. */
    void rebuild(Consumer<Consumer<VectorItem>> source, NamespaceInfo info) throws IOException {
        writer.deleteAll();
        IOException[] failure = {null};
        source.accept(item -> {
            if (failure[0] == null) {
                try {
                    writer.addDocument(document(item));
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            writer.rollback();
            throw failure[0];
        }
        commit(info);
    }

    /** Applies one write (upserts and deletes by id) and commits at {@code info}. */
    void apply(List<VectorItem> upserts, Collection<String> deletes, NamespaceInfo info) throws IOException {
        for (VectorItem item : upserts) {
            writer.updateDocument(new Term(ID, item.id()), document(item));
        }
        for (String id : deletes) {
            writer.deleteDocuments(new Term(ID, id));
        }
        commit(info);
    }

    private void commit(NamespaceInfo info) throws IOException {
        writer.setLiveCommitData(Map.of(GENERATION, Long.toString(info.generation()),
                EPOCH, Long.toString(info.createdAt())).entrySet());
        writer.commit();
        searchers.maybeRefreshBlocking();
        generation = info.generation();
        epoch = info.createdAt();
    }

    private static Document document(VectorItem item) {
        Document doc = new Document();
        doc.add(new StringField(ID, item.id(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, item.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        MetadataTerms.of(item.metadata()).forEach((k, v) -> doc.add(new StringField(META + k, v, Field.Store.NO)));
        return doc;
    }

    /**
     * Approximate nearest neighbours (HNSW), best first. {@code candidates} bounds the graph search
     * (more candidates, better recall); the filter is applied inside the graph search.
     */
    List<Hit> search(float[] query, int topK, int candidates, Map<String, String> filter) throws IOException {
        Query filterQuery = null;
        if (!filter.isEmpty()) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            filter.forEach((k, v) -> b.add(new TermQuery(new Term(META + k, v)), BooleanClause.Occur.FILTER));
            filterQuery = b.build();
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(topK, candidates), filterQuery),
                    Math.max(topK, candidates));
            List<Hit> hits = new ArrayList<>(Math.min(topK, top.scoreDocs.length));
            var stored = searcher.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                if (hits.size() == topK) {
                    break;
                }
                // DOT_PRODUCT scores unit vectors as (1 + cosine) / 2
                hits.add(new Hit(stored.document(sd.doc).get(ID), 2.0 * sd.score - 1.0));
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
        } finally {
            writer.close();
            directory.close();
        }
    }
}
