package io.aimp.gateway.images;

import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code aimp.images.*}: how image answers given as a URL are fetched (through the egress client).
 *
 * @param urlAllowedHosts host names an image URL in a provider's answer may point at (e.g. the provider's
 *                        blob store); an answer with a URL on any other host, or on an IP address, fails that route
 * @param urlTimeout      the whole fetch of one image URL; default 30 s, at most 5 min
 * @param maxConcurrentPerWorkspace image generations one workspace may have in progress on a node; default 4,
 *                        1 to 1000
 * @param maxInlineBytes  the image bytes one run may answer inline as base64 ({@code params.response: "b64"}), all
 *                        images together; an image past it is answered by its URL only; default 4 MB, at most 64 MB
 */
@ConfigurationProperties("aimp.images")
public record ImagesProperties(@DefaultValue({}) List<String> urlAllowedHosts,
                               @DefaultValue("30s") Duration urlTimeout,
                               @DefaultValue("4") int maxConcurrentPerWorkspace,
                               @DefaultValue("4MB") DataSize maxInlineBytes) {

    static final String ALLOWLIST = "aimp.images.url-allowed-hosts";

    public ImagesProperties {
        urlAllowedHosts = urlAllowedHosts == null ? List.of() : List.copyOf(urlAllowedHosts);
        if (urlTimeout == null || urlTimeout.isNegative() || urlTimeout.isZero() || urlTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("aimp.images.url-timeout must be positive and at most 5m");
        }
        if (maxConcurrentPerWorkspace < 1 || maxConcurrentPerWorkspace > 1000) {
            throw new IllegalArgumentException("aimp.images.max-concurrent-per-workspace must be from 1 to 1000");
        }
        if (maxInlineBytes == null || maxInlineBytes.isNegative() || maxInlineBytes.toBytes() > DataSize.ofMegabytes(64).toBytes()) {
            throw new IllegalArgumentException("aimp.images.max-inline-bytes must be from 0 to 64MB");
        }
    }
}
