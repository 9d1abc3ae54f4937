package io.aimp.gateway.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Accounts and sessions.
 *
 * @param publicUrl              AIMP_PUBLIC_URL: the URL clients use; the JWT issuer
 * @param bootstrapApiKey        AIMP_BOOTSTRAP_API_KEY: becomes the owner's first key on first start
 * @param bootstrapOwnerEmail    AIMP_BOOTSTRAP_OWNER_EMAIL: the first owner's login
 * @param bootstrapOwnerPassword AIMP_BOOTSTRAP_OWNER_PASSWORD: the first owner's password (generated and printed once when unset)
 * @param secretKey              AIMP_SECRET_KEY: derives the key-hash pepper and the token signing key;
 *                               when unset they are generated once and kept in the database
 */
@ConfigurationProperties("aimp")
public record AuthProperties(
        @DefaultValue("http://localhost:8080") String publicUrl,
        String bootstrapApiKey,
        @DefaultValue("owner@localhost") String bootstrapOwnerEmail,
        String bootstrapOwnerPassword,
        String secretKey,
        @DefaultValue Sessions sessions,
        @DefaultValue Invitations invitations) {

    /** @param ttl how long an invitation to join a workspace can be accepted (aimp.invitations.ttl) */
    public record Invitations(@DefaultValue("7d") Duration ttl) {

        public Invitations {
            if (ttl.compareTo(Duration.ofMinutes(5)) < 0 || ttl.compareTo(Duration.ofDays(90)) > 0) {
                throw new IllegalArgumentException("aimp.invitations.ttl must be between 5m and 90d");
            }
        }
    }

    public record Sessions(
            @DefaultValue("15m") Duration accessTokenTtl,
            @DefaultValue("30d") Duration refreshTokenTtl,
            @DefaultValue("10") int loginAttemptsPerMinutePerAccount,
            @DefaultValue("30") int loginAttemptsPerMinutePerIp) {

        public Sessions {
            if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || accessTokenTtl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("aimp.sessions.access-token-ttl must be between 1s and 1d");
            }
            if (refreshTokenTtl.compareTo(accessTokenTtl) < 0) {
                throw new IllegalArgumentException("aimp.sessions.refresh-token-ttl must not be shorter than the access token's");
            }
            if (loginAttemptsPerMinutePerAccount < 1 || loginAttemptsPerMinutePerIp < 1) {
                throw new IllegalArgumentException("aimp.sessions.login-attempts-per-minute-* must be at least 1");
            }
        }
    }

    public AuthProperties {
        if (!publicUrl.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
            throw new IllegalArgumentException("aimp.public-url (AIMP_PUBLIC_URL) must be an http(s) URL, e.g. http://localhost:8080");
        }
        publicUrl = publicUrl.replaceAll("/+$", "");
        if (bootstrapApiKey != null && bootstrapApiKey.isBlank()) {
            bootstrapApiKey = null;
        }
        if (bootstrapApiKey != null && !ApiKeys.isWellFormed(bootstrapApiKey)) {
            throw new IllegalArgumentException("aimp.bootstrap-api-key (AIMP_BOOTSTRAP_API_KEY) must look like aimp_sk_ followed by 43 to 64 letters and digits");
        }
        if (bootstrapOwnerPassword != null && bootstrapOwnerPassword.isBlank()) {
            bootstrapOwnerPassword = null;
        }
        if (bootstrapOwnerPassword != null && bootstrapOwnerPassword.length() < 12) {
            throw new IllegalArgumentException("aimp.bootstrap-owner-password (AIMP_BOOTSTRAP_OWNER_PASSWORD) must have at least 12 characters");
        }
        if (secretKey != null && secretKey.isBlank()) {
            secretKey = null;
        }
        if (secretKey != null && secretKey.length() < 32) {
            throw new IllegalArgumentException("aimp.secret-key (AIMP_SECRET_KEY) must have at least 32 characters");
        }
        if (!bootstrapOwnerEmail.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("aimp.bootstrap-owner-email (AIMP_BOOTSTRAP_OWNER_EMAIL) must be an email address");
        }
    }
}
