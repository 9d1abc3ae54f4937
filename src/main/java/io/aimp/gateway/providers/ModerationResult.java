package io.aimp.gateway.providers;

import java.util.List;
import java.util.Map;

/** One verdict per input text, in input order. */
public record ModerationResult(List<Verdict> verdicts, Usage usage) {

    public ModerationResult {
        verdicts = List.copyOf(verdicts);
    }

    /** @param categoryScores provider category name → score in [0, 1] */
    public record Verdict(boolean flagged, Map<String, Double> categoryScores) {

        public Verdict {
            categoryScores = Map.copyOf(categoryScores);
        }
    }
}
