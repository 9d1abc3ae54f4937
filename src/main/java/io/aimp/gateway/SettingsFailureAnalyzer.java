package io.aimp.gateway;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A bad setting stops start-up with one line that names it. Values are never printed: a setting may
 * be a secret.
 */
class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String reason = null;
        for (Throwable t = cause.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null && t.getMessage().startsWith("aimp.")) {
                reason = t.getMessage();
                break;
            }
        }
        String name = cause.getName().toString();
        String description = reason != null ? "Invalid setting: " + reason
                : "Invalid setting " + name + ": the value cannot be read as the expected type";
        return new FailureAnalysis(description, "Correct the setting (property or environment variable) and start again.", cause);
    }
}
