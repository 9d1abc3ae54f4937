package io.aimp.gateway.vectors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A small namespace held in memory and searched exactly: every vector is scored. Immutable; a write
 * replaces it.
 */
final class ExactIndex {

    private final long generation;
    private final long epoch;
    private final List<String> ids = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();
    private final List<Map<String, String>> terms = new ArrayList<>();

    ExactIndex(NamespaceInfo info) {
        this.generation = info.generation();
        this.epoch = info.createdAt();
    }

    void add(VectorItem item) {
        ids.add(item.id());
        vectors.add(item.vector());
        terms.add(MetadataTerms.of(item.metadata()));
    }

    int size() {
        return ids.size();
    }

    boolean isAt(NamespaceInfo info) {
        return generation == info.generation() && epoch == info.createdAt();
    }

    /** The best {@code topK} by cosine similarity (unit vectors: the dot product), ties by id. */
    List<LuceneIndex.Hit> search(float[] query, int topK, double minScore, Map<String, String> filter) {
        Comparator<LuceneIndex.Hit> worstFirst = Comparator.comparingDouble(LuceneIndex.Hit::score)
                .thenComparing(LuceneIndex.Hit::id, Comparator.reverseOrder());
        PriorityQueue<LuceneIndex.Hit> best = new PriorityQueue<>(topK + 1, worstFirst);
        for (int i = 0; i < ids.size(); i++) {
            if (!filter.isEmpty() && !MetadataTerms.matches(terms.get(i), filter)) {
                continue;
            }
            double score = dot(query, vectors.get(i));
            if (score < minScore) {
                continue;
            }
            best.add(new LuceneIndex.Hit(ids.get(i), score));
            if (best.size() > topK) {
                best.poll();
            }
        }
        List<LuceneIndex.Hit> out = new ArrayList<>(best);
        out.sort(worstFirst.reversed());
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
