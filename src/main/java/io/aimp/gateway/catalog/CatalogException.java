package io.aimp.gateway.catalog;

import java.util.List;

/**
 * The catalog cannot be loaded. Each problem names the file, the place in it and what is wrong; a single problem
 * is one line.
 */
public class CatalogException extends RuntimeException {

    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super(problems.size() == 1 ? "the model catalog is invalid: " + problems.getFirst()
                : "the model catalog is invalid (" + problems.size() + " problems):\n  " + String.join("\n  ", problems),
                null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
