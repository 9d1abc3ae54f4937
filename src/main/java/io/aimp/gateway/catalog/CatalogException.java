package io.aimp.gateway.catalog;

import java.util.List;

/** The catalog cannot be loaded. Each problem names the file, the place in it and what is wrong. */
public class CatalogException extends RuntimeException {

    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super("the model catalog is invalid (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):\n  " + String.join("\n  ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
