package io.aimp.gateway.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link VectorStore} does, on every backend. */
abstract class VectorStoreContract extends StoreContract {

    VectorStore store;

    @Override
    protected void createStores(Database database) {
        store = new JdbcVectorStore(database);
    }

    String workspace() {
        String id = "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database().jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)").params(id, id).update();
        return id;
    }

    static VectorItem item(String id, float... v) {
        return new VectorItem(id, v, "{\"text\":\"" + id + "\"}", "{\"lang\":\"en\"}", 0, 0);
    }

    @Test
    void should_replace_an_item_indexed_again_and_count_each_write_as_a_generation() {
        // given
        Namespace ns = new Namespace(workspace(), "mdl_a", "docs", "test");

        // when
        VectorStore.Change first = store.upsert(ns, "model-a", "local/m", 2, List.of(item("x", 1, 0), item("y", 0, 1)), 10);
        VectorStore.Change second = store.upsert(ns, "model-a", "local/m", 2, List.of(item("x", 0.6f, 0.8f)), 20);

        // then
        assertThat(first.namespace().generation()).isEqualTo(1);
        assertThat(second.namespace().generation()).isEqualTo(2);
        assertThat(second.namespace().itemCount()).isEqualTo(2);
        assertThat(second.namespace().createdAt()).isEqualTo(10);
        assertThat(second.namespace().updatedAt()).isEqualTo(20);
        List<VectorItem> all = new ArrayList<>();
        store.forEach(ns, all::add);
        assertThat(all).extracting(VectorItem::id).containsExactly("x", "y");
        assertThat(all.getFirst().vector()).containsExactly(0.6f, 0.8f);
        assertThat(all.getFirst().createdAt()).isEqualTo(10);
        assertThat(all.getFirst().updatedAt()).isEqualTo(20);
    }

    @Test
    void should_refuse_vectors_of_another_size_or_embedder() {
        Namespace ns = new Namespace(workspace(), "mdl_a", "docs", "test");
        store.upsert(ns, "model-a", "local/m", 2, List.of(item("x", 1, 0)), 10);

        GatewayException size = catchThrowableOfType(GatewayException.class,
                () -> store.upsert(ns, "model-a", "local/m", 3, List.of(item("z", 1, 0, 0)), 20));
        GatewayException embedder = catchThrowableOfType(GatewayException.class,
                () -> store.upsert(ns, "model-a", "openai/other", 2, List.of(item("z", 1, 0)), 20));

        assertThat(size.code()).isEqualTo("embedding_mismatch");
        assertThat(size.status()).isEqualTo(409);
        assertThat(embedder.code()).isEqualTo("embedding_mismatch");
        assertThat(store.namespace(ns).orElseThrow().itemCount()).isEqualTo(1);
    }

    @Test
    void should_delete_items_and_drop_namespaces_of_one_workspace_only() {
        // given: the same model, collection and scope in two workspaces
        Namespace a = new Namespace(workspace(), "mdl_a", "docs", "test");
        Namespace b = new Namespace(workspace(), "mdl_a", "docs", "test");
        store.upsert(a, "model-a", "local/m", 2, List.of(item("x", 1, 0), item("y", 0, 1)), 10);
        store.upsert(b, "model-a", "local/m", 2, List.of(item("x", 1, 0)), 10);

        // when
        VectorStore.Change deleted = store.delete(a, Set.of("x", "missing"), 30);
        VectorStore.Change none = store.delete(a, Set.of("missing"), 40);

        // then
        assertThat(deleted.affected()).isEqualTo(1);
        assertThat(deleted.namespace().generation()).isEqualTo(2);
        assertThat(none.affected()).isZero();
        assertThat(none.namespace().generation()).isEqualTo(2);
        assertThat(store.find(b, Set.of("x"))).containsOnlyKeys("x");
        assertThat(store.namespaces(a.workspaceId())).singleElement()
                .satisfies(n -> assertThat(n.itemCount()).isEqualTo(1));
        assertThat(store.find(a.workspaceId(), "model-a", "docs", "test")).isPresent();
        assertThat(store.find(a.workspaceId(), "mdl_a", "docs", "test")).isPresent();

        assertThat(store.drop(a)).isTrue();
        assertThat(store.drop(a)).isFalse();
        assertThat(store.namespace(a)).isEmpty();
        assertThat(store.namespace(b).orElseThrow().itemCount()).isEqualTo(1);
    }

    @Test
    void should_page_items_in_id_order_without_vectors() {
        Namespace ns = new Namespace(workspace(), "mdl_a", "docs", "test");
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(item("id-" + i, 1, 0));
        }
        store.upsert(ns, "model-a", "local/m", 2, items, 10);

        List<VectorItem> page = store.page(ns, 2, 2);

        assertThat(page).extracting(VectorItem::id).containsExactly("id-2", "id-3");
        assertThat(page.getFirst().vector()).isNull();
        assertThat(page.getFirst().metadata()).isEqualTo("{\"lang\":\"en\"}");
    }

    @Test
    void should_log_the_ids_of_each_write_by_generation_and_say_when_the_log_no_longer_reaches_back() {
        Namespace ns = new Namespace(workspace(), "mdl_a", "docs", "log");
        store.upsert(ns, "model-a", "local/m", 2, List.of(item("x", 1, 0), item("y", 0, 1)), 10); // generation 1
        store.upsert(ns, "model-a", "local/m", 2, List.of(item("z", 1, 0)), 20);                  // 2
        store.delete(ns, List.of("x"), 30);                                                        // 3
        store.delete(ns, List.of("nothing"), 40);                                                  // no write

        assertThat(store.changedSince(ns, 1, 3)).hasValueSatisfying(ids -> assertThat(ids).containsExactlyInAnyOrder("z", "x"));
        assertThat(store.changedSince(ns, 0, 2)).hasValueSatisfying(ids -> assertThat(ids).containsExactlyInAnyOrder("x", "y", "z"));
        assertThat(store.changedSince(ns, 3, 3)).hasValueSatisfying(ids -> assertThat(ids).isEmpty());
        assertThat(store.withVectors(ns, List.of("x", "z"))).extracting(VectorItem::id).containsExactly("z");
        assertThat(store.withVectors(ns, List.of("z")).getFirst().vector()).containsExactly(1f, 0f);

        // compacted: generation 2 is gone, so from 1 only a rebuild catches up; from 2 the log still serves
        database().jdbc().sql("delete from vector_changes where workspace_id = ? and generation = 2").param(ns.workspaceId()).update();
        assertThat(store.changedSince(ns, 1, 3)).isEmpty();
        assertThat(store.changedSince(ns, 2, 3)).hasValueSatisfying(ids -> assertThat(ids).containsExactly("x"));

        // dropping the namespace drops its log
        store.drop(ns);
        assertThat(database().jdbc().sql("select count(*) from vector_changes where workspace_id = ?").param(ns.workspaceId())
                .query(Long.class).single()).isZero();
    }
}
