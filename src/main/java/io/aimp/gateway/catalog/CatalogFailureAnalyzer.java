package io.aimp.gateway.catalog;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad catalog file stops start-up with its path and the exact problems, not a stack trace. */
class CatalogFailureAnalyzer extends AbstractFailureAnalyzer<CatalogException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CatalogException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the catalog file(s) named above (format: docs/catalog.md) and start again.", cause);
    }
}
