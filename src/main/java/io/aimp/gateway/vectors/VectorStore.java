package io.aimp.gateway.vectors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The source of truth for vectors: every namespace and item, one transaction per write. */
public interface VectorStore {

    /** A write's outcome: the namespace after it and how many items it touched. */
    record Change(NamespaceInfo namespace, int affected) {
    }

    /**
     * Inserts or replaces items (by id) and bumps the namespace's generation, creating the namespace
     * on first use, all in one transaction.
     *
     * @throws io.aimp.gateway.common.GatewayException {@code execution} 409 when the namespace holds
     *         vectors of another size or from another embedder (they would not be comparable)
     */
    Change upsert(Namespace ns, String modelSlug, String embedder, int dimensions, List<VectorItem> items, long now);

    /** Deletes items by id; bumps the generation when any existed. */
    Change delete(Namespace ns, Collection<String> ids, long now);

    /** The ids of a workspace's items that index the media object {@code mediaRef} (image items), by namespace. */
    Map<Namespace, List<String>> itemsOfMedia(String workspaceId, String mediaRef);

    /** Deletes the namespace and all its items; {@code false} when it did not exist. */
    boolean drop(Namespace ns);

    Optional<NamespaceInfo> namespace(Namespace ns);

    /** The namespace of a workspace named by model id or slug, collection and scope. */
    Optional<NamespaceInfo> find(String workspaceId, String model, String collection, String scope);

    /** Every namespace of a workspace, by model slug, collection and scope. */
    List<NamespaceInfo> namespaces(String workspaceId);

    /** Every item with its vector, in id order, handed over one at a time (for index builds). */
    void forEach(Namespace ns, Consumer<VectorItem> consumer);

    /**
     * The ids written (upserted or deleted) after generation {@code after} up to {@code upTo}, from the
     * change log; empty when the log no longer holds every generation in between (compacted), so only a
     * rebuild catches up.
     */
    Optional<Set<String>> changedSince(Namespace ns, long after, long upTo);

    /** Items by id with their vectors; missing (deleted) ids are left out. */
    List<VectorItem> withVectors(Namespace ns, Collection<String> ids);

    /** Items by id, without vectors; missing ids are left out. */
    Map<String, VectorItem> find(Namespace ns, Collection<String> ids);

    /** A page of items in id order, without vectors. */
    List<VectorItem> page(Namespace ns, int limit, int offset);
}
