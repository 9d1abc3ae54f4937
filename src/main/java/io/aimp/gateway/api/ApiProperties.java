package io.aimp.gateway.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP edge.
 *
 * @param maxJsonBody    AIMP_HTTP_MAX_JSON_BODY: largest JSON request body (default 1MB)
 * @param maxHeaderBytes AIMP_HTTP_MAX_HEADER_BYTES: largest total of request header names and values (default 16KB)
 * @param accessLog      AIMP_HTTP_ACCESS_LOG: one structured log line per request
 */
@ConfigurationProperties("aimp.http")
public record ApiProperties(
        @DefaultValue("1MB") DataSize maxJsonBody,
        @DefaultValue("16KB") DataSize maxHeaderBytes,
        @DefaultValue("true") boolean accessLog) {

    public ApiProperties {
        if (maxJsonBody.toBytes() < 1024 || maxJsonBody.toGigabytes() >= 1) {
            throw new IllegalArgumentException("aimp.http.max-json-body (AIMP_HTTP_MAX_JSON_BODY) must be between 1KB and 1GB");
        }
        if (maxHeaderBytes.toBytes() < 1024 || maxHeaderBytes.toBytes() > 60 * 1024) {
            throw new IllegalArgumentException("aimp.http.max-header-bytes (AIMP_HTTP_MAX_HEADER_BYTES) must be between 1KB and 60KB");
        }
    }
}
