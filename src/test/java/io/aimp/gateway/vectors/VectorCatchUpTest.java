package io.aimp.gateway.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.StoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (each its own Lucene folder) on one database (SQLite, and PostgreSQL when
 * {@code AIMP_TEST_POSTGRES_URL} is set): a write on node A is found by a search on node B, which
 * applies only the items written since its index's generation, and rebuilds only when the change log
 * was compacted past it.
 */
class VectorCatchUpTest {

    abstract static class Contract extends StoreContract {
        private final List<VectorService> services = new ArrayList<>();
        private Database database;

        @Override
        protected void createStores(Database database) {
            this.database = database;
        }

        @AfterAll
        void closeServices() {
            services.forEach(VectorService::close);
        }

        private VectorService node() {
            try {
                VectorService s = new VectorService(new JdbcVectorStore(database), new VectorProperties(0, 100, 1_000_000),
                        Files.createTempDirectory("aimp-vectors-node"), Clock.systemUTC(), null);
                services.add(s);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Namespace namespace() {
            String ws = "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            database.jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)").params(ws, ws).update();
            return new Namespace(ws, "mdl_x", "docs", "team");
        }

        private static List<String> ids(List<SearchHit> hits) {
            return hits.stream().map(SearchHit::id).toList();
        }

        private static List<SearchHit> search(VectorService node, Namespace ns, float[] query) {
            return node.search(ns, query, 5, -1, Map.of(), null);
        }

        @Test
        void should_find_on_node_b_what_node_a_wrote_by_applying_only_the_new_items() {
            VectorService a = node();
            VectorService b = node();
            Namespace ns = namespace();
            Random r = new Random(11);
            List<VectorItem> first = VectorServiceTest.items("doc", 200, r);
            a.upsert(ns, "notes", "local/test", first);
            search(b, ns, first.getFirst().vector()); // node B builds its copy once
            assertThat(b.rebuilds()).isEqualTo(1);

            // when: node A replaces one item, adds two and deletes one
            List<VectorItem> written = VectorServiceTest.items("new", 2, r);
            VectorItem replaced = new VectorItem("doc7", VectorServiceTest.unit(r), "{\"text\":\"doc7 again\"}", "{}", 0, 0);
            a.upsert(ns, "notes", "local/test", List.of(written.get(0), written.get(1), replaced));
            a.delete(ns, List.of("doc9"));

            // then: node B finds each, without the deleted one, having applied exactly those 4 ids
            assertThat(ids(search(b, ns, written.get(0).vector()))).first().isEqualTo("new0");
            assertThat(ids(search(b, ns, written.get(1).vector()))).first().isEqualTo("new1");
            assertThat(search(b, ns, replaced.vector()).getFirst().text()).isEqualTo("doc7 again");
            assertThat(ids(search(b, ns, first.get(9).vector()))).doesNotContain("doc9");
            assertThat(b.caughtUpItems()).isEqualTo(4);
            assertThat(b.rebuilds()).isEqualTo(1);
        }

        @Test
        void should_catch_up_on_the_other_nodes_writes_when_writing_itself() {
            VectorService a = node();
            VectorService b = node();
            Namespace ns = namespace();
            Random r = new Random(12);
            a.upsert(ns, "notes", "local/test", VectorServiceTest.items("doc", 50, r));
            List<VectorItem> mine = VectorServiceTest.items("b", 1, r);
            b.upsert(ns, "notes", "local/test", mine); // B's first write: it has no copy yet, built on first need
            List<VectorItem> theirs = VectorServiceTest.items("a", 3, r);
            search(b, ns, mine.getFirst().vector());
            long rebuilt = b.rebuilds();

            a.upsert(ns, "notes", "local/test", theirs);
            List<VectorItem> more = VectorServiceTest.items("b-more", 1, r);
            b.upsert(ns, "notes", "local/test", more);

            assertThat(ids(search(b, ns, theirs.get(2).vector()))).first().isEqualTo("a2");
            assertThat(ids(search(b, ns, more.getFirst().vector()))).first().isEqualTo("b-more0");
            assertThat(b.caughtUpItems()).isEqualTo(4); // a0..a2 and b-more0
            assertThat(b.rebuilds()).isEqualTo(rebuilt);
        }

        @Test
        void should_rebuild_when_the_change_log_was_compacted_past_its_generation() {
            VectorService a = node();
            VectorService b = node();
            Namespace ns = namespace();
            Random r = new Random(13);
            a.upsert(ns, "notes", "local/test", VectorServiceTest.items("doc", 100, r));
            search(b, ns, VectorServiceTest.unit(r));
            List<VectorItem> later = VectorServiceTest.items("later", 2, r);
            a.upsert(ns, "notes", "local/test", later.subList(0, 1));
            a.upsert(ns, "notes", "local/test", later.subList(1, 2));
            database.jdbc().sql("delete from vector_changes where workspace_id = ? and generation <= 2")
                    .param(ns.workspaceId()).update(); // compacted: generation 2 is gone, 3 is still there

            assertThat(ids(search(b, ns, later.get(0).vector()))).first().isEqualTo("later0");
            assertThat(ids(search(b, ns, later.get(1).vector()))).first().isEqualTo("later1");
            assertThat(b.rebuilds()).isEqualTo(2);
            assertThat(b.caughtUpItems()).isZero();
        }
    }

    @Nested
    class OnSqlite extends Contract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends Contract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
