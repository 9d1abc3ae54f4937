package io.aimp.gateway.providers;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One entry under {@code aimp.providers}. Checked by {@link ProvidersProperties}, which knows the
 * entry's name and so can name the setting to fix.
 *
 * @param type           {@code openai} (any OpenAI-compatible server), {@code anthropic}, {@code local} or
 *                       {@code sdwebui} (a Stable Diffusion WebUI API)
 * @param baseUrl        {@code base_url}: required for HTTP types, e.g. {@code https://api.openai.com/v1}
 * @param apiKey         {@code api_key}: optional (local servers often need none); blank means none
 * @param headers        extra request headers, e.g. {@code OpenAI-Organization}
 * @param connectTimeout {@code connect_timeout}: default 10 s
 */
public record ProviderSettings(String type, String baseUrl, String apiKey, Map<String, String> headers,
                               Duration connectTimeout) {

    public static final String OPENAI = "openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String LOCAL = "local";
    /** A Stable Diffusion WebUI (AUTOMATIC1111, Forge, SD.Next) API: image generation only. */
    public static final String SDWEBUI = "sdwebui";
    public static final Set<String> TYPES = Set.of(OPENAI, ANTHROPIC, LOCAL, SDWEBUI);
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public ProviderSettings {
        type = type == null ? null : type.trim().toLowerCase(java.util.Locale.ROOT);
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.trim().replaceAll("/+$", "");
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    }

    public static ProviderSettings local() {
        return new ProviderSettings(LOCAL, null, null, Map.of(), null);
    }

    /** Throws {@link IllegalArgumentException} naming {@code aimp.providers.<name>.<setting>}. */
    void validate(String name) {
        String at = "aimp.providers." + name;
        if (type == null) {
            throw new IllegalArgumentException(at + ".type is required: one of openai, anthropic, local, sdwebui");
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(at + ".type must be one of openai, anthropic, local, sdwebui");
        }
        if (!LOCAL.equals(type) && !isHttpUrl(baseUrl)) {
            throw new IllegalArgumentException(at + ".base_url must be an http(s) URL, e.g. "
                    + (OPENAI.equals(type) ? "https://api.openai.com/v1" : SDWEBUI.equals(type) ? "http://127.0.0.1:7860" : "https://api.anthropic.com"));
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(at + ".connect_timeout must be positive");
        }
        for (String header : headers.keySet()) {
            if (RESTRICTED_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(at + ".headers." + header + " is set by the HTTP client and cannot be configured");
            }
        }
        if (ProvidersProperties.BUILT_IN.equals(name) && !LOCAL.equals(type)) {
            throw new IllegalArgumentException(at + ".type must be local: the name local is reserved for the built-in in-process provider");
        }
    }

    private static boolean isHttpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Never prints the key or header values (headers may carry credentials too). */
    @Override
    public String toString() {
        return "ProviderSettings[type=" + type + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", headers=" + headers.keySet() + ", connectTimeout=" + connectTimeout + "]";
    }
}
