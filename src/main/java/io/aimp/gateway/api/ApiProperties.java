package io.aimp.gateway.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP edge.
 *
 * @param maxJsonBody    AIMP_HTTP_MAX_JSON_BODY: largest JSON request body (default 1MB)
 * @param maxHeaderBytes AIMP_HTTP_MAX_HEADER_BYTES: largest total of request header names and values (default 16KB)
 * @param accessLog      AIMP_HTTP_ACCESS_LOG: one structured log line per request
 * @param leanRuns       AIMP_HTTP_LEAN_RUNS: the edge answers the plain form of {@code POST /api/runs} itself,
 *                       without Spring MVC's dispatch ({@link LeanRoutes}); off, Spring MVC answers it
 */
@ConfigurationProperties("aimp.http")
public record ApiProperties(
        @DefaultValue("1MB") DataSize maxJsonBody,
        @DefaultValue("16KB") DataSize maxHeaderBytes,
        @DefaultValue("true") boolean accessLog,
        @DefaultValue("true") boolean leanRuns) {

    @ConstructorBinding
    public ApiProperties {
        if (maxJsonBody.toBytes() < 1024 || maxJsonBody.toGigabytes() >= 1) {
            throw new IllegalArgumentException("aimp.http.max-json-body (AIMP_HTTP_MAX_JSON_BODY) must be between 1KB and 1GB");
        }
        if (maxHeaderBytes.toBytes() < 1024 || maxHeaderBytes.toBytes() > 60 * 1024) {
            throw new IllegalArgumentException("aimp.http.max-header-bytes (AIMP_HTTP_MAX_HEADER_BYTES) must be between 1KB and 60KB");
        }
    }

    /** With the lean path on. */
    public ApiProperties(DataSize maxJsonBody, DataSize maxHeaderBytes, boolean accessLog) {
        this(maxJsonBody, maxHeaderBytes, accessLog, true);
    }
}
