package io.aimp.gateway.vectors.bench;

import io.aimp.gateway.providers.EmbeddingRequest;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.local.LocalProvider;
import io.aimp.gateway.storage.TestDatabases;
import io.aimp.gateway.vectors.Namespace;
import io.aimp.gateway.vectors.SearchHit;
import io.aimp.gateway.vectors.VectorItem;
import io.aimp.gateway.vectors.VectorProperties;
import io.aimp.gateway.vectors.VectorService;
import io.aimp.gateway.vectors.VectorServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Vector search figures on this machine (not a test; surefire does not run it). 100,000 clustered,
 * unit-length 384-dimension vectors shaped like MiniLM sentence embeddings (1,000 topics, items
 * scattered around each): index throughput through the vector service (SQLite + Lucene HNSW), search
 * latency p50/p99 and recall@10 of HNSW against exact search, and MiniLM text embedding throughput.
 *
 * <pre>
 * ./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx3g --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.aimp.gateway.vectors.bench.VectorSearchBenchmark [items] [queries]
 * </pre>
 */
public final class VectorSearchBenchmark {

    static final int DIMENSIONS = 384;
    static final int CLUSTERS = 1_000;
    static final int BATCH = 1_000;
    static final int TOP_K = 10;

    private VectorSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Random random = new Random(42);
        float[][] centres = new float[CLUSTERS][];
        for (int c = 0; c < CLUSTERS; c++) {
            centres[c] = unit(gaussian(random, 1.0));
        }
        float[][] vectors = new float[items][];
        for (int i = 0; i < items; i++) {
            vectors[i] = around(centres[random.nextInt(CLUSTERS)], random);
        }
        Path dir = Files.createTempDirectory("aimp-vector-bench-");
        try (TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
            db.database().jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_bench', 'bench', 0)").update();
            VectorService service = VectorServices.create(db.database(), dir, new VectorProperties(2000, 100, 1_000_000));
            Namespace ns = new Namespace("ws_bench", "mdl_bench", "texts", "bench");

            long started = System.nanoTime();
            for (int from = 0; from < items; from += BATCH) {
                List<VectorItem> batch = new ArrayList<>(BATCH);
                for (int i = from; i < Math.min(items, from + BATCH); i++) {
                    batch.add(new VectorItem("item-" + i, vectors[i], "{\"text\":\"item " + i + "\"}", null, 0, 0));
                }
                service.upsert(ns, "bench", "local/bench", batch);
            }
            double indexSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("index: %,d vectors in %.1f s = %,.0f vectors/s (batches of %,d; SQLite + HNSW)%n",
                    items, indexSeconds, items / indexSeconds, BATCH);

            float[][] qs = new float[queries][];
            for (int q = 0; q < queries; q++) {
                qs[q] = around(centres[random.nextInt(CLUSTERS)], random);
            }
            for (int q = 0; q < Math.min(50, queries); q++) { // warm up
                service.search(ns, qs[q], TOP_K, -1, Map.of(), null);
            }
            long[] latencies = new long[queries];
            double recall = 0;
            for (int q = 0; q < queries; q++) {
                long t = System.nanoTime();
                List<SearchHit> hits = service.search(ns, qs[q], TOP_K, -1, Map.of(), null);
                latencies[q] = System.nanoTime() - t;
                Set<String> truth = exact(vectors, qs[q]);
                recall += hits.stream().filter(h -> truth.contains(h.id())).count() / (double) TOP_K;
            }
            Arrays.sort(latencies);
            System.out.printf("search: %,d queries, top %d: p50 %.2f ms, p99 %.2f ms; recall@10 vs exact %.3f%n", queries, TOP_K,
                    latencies[queries / 2] / 1e6, latencies[(int) (queries * 0.99)] / 1e6, recall / queries);
            VectorServices.close(service);
        }

        LocalProvider local = new LocalProvider("local", ProviderSettings.local());
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            sentences.add("Sentence number " + i + " talks about topic " + (i % 37) + " and a few other words for length.");
        }
        local.embed(new EmbeddingRequest(LocalProvider.MINILM, sentences.subList(0, 32)), Duration.ofMinutes(5)); // load
        long t = System.nanoTime();
        local.embed(new EmbeddingRequest(LocalProvider.MINILM, sentences), Duration.ofMinutes(5));
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf("embed: %d sentences in %.2f s = %.0f sentences/s (all-MiniLM-L6-v2, batches of 32)%n",
                sentences.size(), s, sentences.size() / s);
    }

    private static Set<String> exact(float[][] vectors, float[] q) {
        int[] best = new int[TOP_K];
        double[] scores = new double[TOP_K];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            double s = 0;
            float[] v = vectors[i];
            for (int d = 0; d < DIMENSIONS; d++) {
                s += v[d] * q[d];
            }
            if (s > scores[TOP_K - 1]) {
                int at = TOP_K - 1;
                while (at > 0 && scores[at - 1] < s) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = s;
                best[at] = i;
            }
        }
        Set<String> ids = new HashSet<>();
        for (int i : best) {
            ids.add("item-" + i);
        }
        return ids;
    }

    /** A member of a topic: its centre plus noise, so neighbours have cosine ≈ 0.5–0.8 like related sentences. */
    private static float[] around(float[] centre, Random random) {
        float[] noise = gaussian(random, 0.045);
        for (int d = 0; d < DIMENSIONS; d++) {
            noise[d] += centre[d];
        }
        return unit(noise);
    }

    private static float[] gaussian(Random random, double sigma) {
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float s = (float) (1 / Math.sqrt(n));
        for (int d = 0; d < v.length; d++) {
            v[d] *= s;
        }
        return v;
    }
}
