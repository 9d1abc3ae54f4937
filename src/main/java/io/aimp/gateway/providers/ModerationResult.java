package io.aimp.gateway.providers;

import java.util.List;
import java.util.Map;

/** One verdict per input text, in input order. */
public record ModerationResult(List<Verdict> verdicts, Usage usage) {

    public ModerationResult {
        verdicts = List.copyOf(verdicts);
    }

    /**
     * @param flaggedCategories the provider's names of the categories that flagged the text, in the provider's order
     * @param categoryScores    provider category name → score in [0, 1]
     */
    public record Verdict(boolean flagged, List<String> flaggedCategories, Map<String, Double> categoryScores) {

        public Verdict {
            flaggedCategories = List.copyOf(flaggedCategories);
            categoryScores = Map.copyOf(categoryScores);
        }
    }
}
