package io.aimp.gateway.catalog;

/**
 * A knowledge base searched by a model: chat {@code retrieval}, the assistant's {@code knowledge_search} tool, a
 * workflow {@code search} block. Its defaults and ranges are owned here and read by
 * {@link SettingsReader#knowledgeBase} and {@link SettingsReader#topK}.
 *
 * @param model      the embedding model (slug or id) whose index is searched
 * @param collection the collection, or {@code null} for the embedding model's own
 * @param scope      the index scope
 * @param topK       how many passages at most, {@value #MIN_TOP_K} to {@value #MAX_TOP_K}
 * @param minScore   passages scoring below it are left out, -1 to 1
 */
public record KnowledgeBase(String model, String collection, String scope, int topK, double minScore) {

    public static final int DEFAULT_TOP_K = 4;
    public static final int MIN_TOP_K = 1;
    public static final int MAX_TOP_K = 50;
    public static final double DEFAULT_MIN_SCORE = 0.0;
}
