package io.aimp.gateway.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vector service over a real database and index folder: isolation, restarts, exact and HNSW search. */
class VectorServiceTest {

    static final int DIMENSIONS = 32;

    @TempDir
    Path dataDir;

    final TestDatabases.TestDatabase db = TestDatabases.sqlite();
    final VectorStore store = new JdbcVectorStore(db.database());
    final List<VectorService> services = new ArrayList<>();

    @AfterEach
    void close() {
        services.forEach(VectorService::close);
        db.close();
    }

    VectorService service(int exactSearchBelow) {
        VectorService s = new VectorService(store, new VectorProperties(exactSearchBelow, 100, 1_000_000),
                dataDir.resolve("vectors"), Clock.systemUTC(), null);
        services.add(s);
        return s;
    }

    String workspace() {
        String id = "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db.database().jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)").params(id, id).update();
        return id;
    }

    static float[] unit(Random r) {
        float[] v = new float[DIMENSIONS];
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    static List<VectorItem> items(String prefix, int n, Random r) {
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new VectorItem(prefix + i, unit(r), "{\"text\":\"" + prefix + i + "\"}",
                    "{\"group\":\"" + (i % 2 == 0 ? "even" : "odd") + "\",\"n\":" + i + "}", 0, 0));
        }
        return items;
    }

    @Test
    void should_never_return_another_workspaces_items_from_the_same_scope() {
        for (int exactBelow : new int[] {2000, 0}) { // exact search, then HNSW
            // given: two workspaces index into the same model, collection and scope name
            VectorService service = service(exactBelow);
            Random r = new Random(7);
            Namespace a = new Namespace(workspace(), "mdl_x", "docs", "shared");
            Namespace b = new Namespace(a.workspaceId().replace("ws_", "ws_b"), "mdl_x", "docs", "shared");
            db.database().jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)")
                    .params(b.workspaceId(), "b").update();
            service.upsert(a, "model-x", "local/m", items("a-", 150, r));
            service.upsert(b, "model-x", "local/m", items("b-", 150, r));

            // when / then: 1,000 searches, each sees only its own workspace
            for (int i = 0; i < 1000; i++) {
                Namespace ns = i % 2 == 0 ? a : b;
                String own = i % 2 == 0 ? "a-" : "b-";
                List<SearchHit> hits = service.search(ns, unit(r), 10, -1, Map.of(), "local/m");
                assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.id()).startsWith(own));
            }
        }
    }

    @Test
    void should_find_what_exact_search_finds_through_hnsw_and_apply_filters_and_min_score() {
        // given: the same data searched exactly and through HNSW
        Random r = new Random(11);
        Namespace ns = new Namespace(workspace(), "mdl_x", "docs", "test");
        VectorService exactService = service(2000);
        exactService.upsert(ns, "model-x", "local/m", items("i-", 300, r));
        VectorService hnsw = service(0);

        for (int q = 0; q < 20; q++) {
            float[] query = unit(r);
            // when
            List<SearchHit> exact = exactService.search(ns, query, 5, -1, Map.of("group", "s:even"), "local/m");
            List<SearchHit> approx = hnsw.search(ns, query, 5, -1, Map.of("group", "s:even"), "local/m");

            // then: 300 vectors is small enough for HNSW to be exact here
            assertThat(approx).extracting(SearchHit::id).isEqualTo(exact.stream().map(SearchHit::id).toList());
            assertThat(exact).allSatisfy(h -> assertThat(h.metadata().path("group").asString()).isEqualTo("even"));
            double cut = exact.get(2).score() - 1e-5; // HNSW scores are float: allow for rounding
            assertThat(exactService.search(ns, query, 5, cut, Map.of("group", "s:even"), "local/m")).hasSize(3);
            assertThat(hnsw.search(ns, query, 5, cut, Map.of("group", "s:even"), "local/m")).hasSize(3);
        }
    }

    @Test
    void should_make_an_index_call_visible_to_the_next_search_and_replace_reindexed_ids() {
        Random r = new Random(3);
        Namespace ns = new Namespace(workspace(), "mdl_x", "docs", "test");
        VectorService service = service(0);
        service.upsert(ns, "model-x", "local/m", items("i-", 50, r));
        float[] target = unit(r);
        service.search(ns, target, 1, -1, Map.of(), null); // the index exists and is current

        service.upsert(ns, "model-x", "local/m", List.of(new VectorItem("i-7", target, "{\"text\":\"new\"}", null, 0, 0)));
        List<SearchHit> hits = service.search(ns, target, 1, -1, Map.of(), null);

        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.id()).isEqualTo("i-7");
            assertThat(h.score()).isGreaterThan(0.9999);
            assertThat(h.text()).isEqualTo("new");
        });
        assertThat(service.delete(ns, List.of("i-7", "i-8"))).isEqualTo(2);
        assertThat(service.search(ns, target, 100, -1, Map.of(), null)).hasSize(48)
                .noneSatisfy(h -> assertThat(h.id()).isIn("i-7", "i-8"));
    }

    @Test
    void should_rebuild_deleted_index_files_on_restart_with_unchanged_results() throws IOException {
        // given: an HNSW-searched namespace, searched once
        Random r = new Random(5);
        Namespace ns = new Namespace(workspace(), "mdl_x", "docs", "test");
        VectorService before = service(0);
        before.upsert(ns, "model-x", "local/m", items("i-", 400, r));
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queries.add(unit(r));
        }
        List<List<SearchHit>> expected = queries.stream().map(q -> before.search(ns, q, 10, -1, Map.of(), null)).toList();
        before.close();

        // when: the index files are deleted and a new service starts over the same database and folder
        try (Stream<Path> files = Files.walk(dataDir.resolve("vectors"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        VectorService after = service(0);
        List<List<SearchHit>> actual = queries.stream().map(q -> after.search(ns, q, 10, -1, Map.of(), null)).toList();

        // then
        assertThat(actual).isEqualTo(expected);
        try (Stream<Path> files = Files.walk(dataDir.resolve("vectors"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isPositive();
        }
        assertThat(store.namespace(ns).orElseThrow().itemCount()).isEqualTo(400);
    }

    @Test
    void should_index_and_search_one_namespace_concurrently() throws Exception {
        // given: an HNSW-searched namespace
        Namespace ns = new Namespace(workspace(), "mdl_x", "docs", "test");
        VectorService service = service(0);
        service.upsert(ns, "model-x", "local/m", items("seed-", 100, new Random(1)));
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        // when: two writers and two searchers at once
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Random r = new Random(100 + id);
                try {
                    for (int i = 0; i < 25; i++) {
                        if (id < 2) {
                            service.upsert(ns, "model-x", "local/m", items("w" + id + "-" + i + "-", 4, r));
                        } else {
                            assertThat(service.search(ns, unit(r), 5, -1, Map.of(), "local/m")).hasSize(5);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        // then: every write is there, in the database and in the index
        assertThat(failures).isEmpty();
        assertThat(store.namespace(ns).orElseThrow().itemCount()).isEqualTo(300);
        assertThat(service.search(ns, unit(new Random(9)), 300, -1, Map.of(), null)).hasSize(300);
    }
}
