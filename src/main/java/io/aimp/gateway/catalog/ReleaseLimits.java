package io.aimp.gateway.catalog;

/** Per-release limits from the catalog file; {@code null} means the release sets no such limit. */
public record ReleaseLimits(Integer requestsPerMinute, Integer tokensPerMinute, Integer maxTokens,
                            Integer maxConcurrent) {

    public static final ReleaseLimits NONE = new ReleaseLimits(null, null, null, null);
}
