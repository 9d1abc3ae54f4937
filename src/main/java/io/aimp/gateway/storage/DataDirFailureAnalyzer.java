package io.aimp.gateway.storage;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A second gateway on the same embedded database stops with one line, not a stack trace. */
class DataDirFailureAnalyzer extends AbstractFailureAnalyzer<DataDirLock.InUse> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirLock.InUse cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Stop the other gateway, or give this one its own AIMP_DATA_DIR, or share AIMP_DATABASE_URL (PostgreSQL).", cause);
    }
}
