package io.aimp.gateway.limits;

/**
 * Limits of one scope; {@code null} means no limit of that kind. Credit caps are micro-credits. Images are
 * counted apart from requests and tokens: a run that asks for {@code n} images counts {@code n}.
 */
public record LimitSet(Long requestsPerMinute, Long tokensPerMinute, Long concurrentRuns, Long dailyCredits,
                       Long monthlyCredits, Long imagesPerMinute, Long imagesPerDay) {

    public static final LimitSet NONE = new LimitSet(null, null, null, null, null);

    /** Limits without image limits. */
    public LimitSet(Long requestsPerMinute, Long tokensPerMinute, Long concurrentRuns, Long dailyCredits,
                    Long monthlyCredits) {
        this(requestsPerMinute, tokensPerMinute, concurrentRuns, dailyCredits, monthlyCredits, null, null);
    }

    /** Each field of {@code this}, else the field of {@code fallback}. */
    public LimitSet orElse(LimitSet fallback) {
        return new LimitSet(or(requestsPerMinute, fallback.requestsPerMinute), or(tokensPerMinute, fallback.tokensPerMinute),
                or(concurrentRuns, fallback.concurrentRuns), or(dailyCredits, fallback.dailyCredits),
                or(monthlyCredits, fallback.monthlyCredits), or(imagesPerMinute, fallback.imagesPerMinute),
                or(imagesPerDay, fallback.imagesPerDay));
    }

    private static Long or(Long a, Long b) {
        return a != null ? a : b;
    }
}
