package io.aimp.gateway.vectors;

/** A search result: the item, its cosine similarity to the query (−1 to 1) and what it holds. */
public record SearchHit(String id, double score, String content, String metadata) {
}
