package io.aimp.gateway.vectors;

/**
 * A namespace's row: what it holds and how often it was written.
 *
 * @param embedder   {@code provider/model} that computed its vectors; vectors of another embedder are refused
 * @param generation incremented by every write; a node's index is current when it was built at this generation
 * @param createdAt  also tells a re-created namespace from the one deleted before it
 */
public record NamespaceInfo(Namespace namespace, String modelSlug, int dimensions, String embedder, long itemCount,
                            long generation, long createdAt, long updatedAt) {
}
