package io.aimp.gateway.catalog;

/** Per-release limits from the catalog file; {@code null} means the release sets no such limit. */
public record ReleaseLimits(Integer requestsPerMinute, Integer tokensPerMinute, Integer maxTokens,
                            Integer maxConcurrent, Integer imagesPerMinute, Integer imagesPerDay) {

    public static final ReleaseLimits NONE = new ReleaseLimits(null, null, null, null);

    /** Limits without image limits. */
    public ReleaseLimits(Integer requestsPerMinute, Integer tokensPerMinute, Integer maxTokens, Integer maxConcurrent) {
        this(requestsPerMinute, tokensPerMinute, maxTokens, maxConcurrent, null, null);
    }
}
