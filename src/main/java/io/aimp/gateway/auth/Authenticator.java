package io.aimp.gateway.auth;

import io.aimp.gateway.auth.ApiKeyStore.ApiKey;
import io.aimp.gateway.common.GatewayException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Turns the credentials of a request into a {@link Principal}. {@code X-API-Key} is for servers,
 * {@code Authorization: Bearer <access_token>} for signed-in browser sessions; each credential in the
 * other's place is refused with a detail that says where it belongs.
 */
@Component
public class Authenticator {

    private final ApiKeyService keys;
    private final SessionService sessions;
    private final ApiKeyStore keyStore;
    private final AccountStore accounts;
    private final Clock clock;

    Authenticator(ApiKeyService keys, SessionService sessions, ApiKeyStore keyStore, AccountStore accounts, Clock clock) {
        this.keys = keys;
        this.sessions = sessions;
        this.keyStore = keyStore;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * The principal that submitted queued or background work, as it is now: read from the stores (no
     * cache), so a revocation or a role change takes effect at once. A key's role is the lower of its
     * own and its creator's current role; its model allowlist is the stored one.
     *
     * @return empty when the key is revoked, expired or unknown in that workspace, or the user (for a
     *         key: its creator) is no longer a member of the workspace
     */
    public Optional<Principal> current(Principal.Type type, String workspaceId, String userId, String keyId) {
        if (type == Principal.Type.USER) {
            return accounts.findMember(workspaceId, userId)
                    .map(m -> new Principal(Principal.Type.USER, workspaceId, userId, null, null, m.role(), null));
        }
        Optional<ApiKey> key = keyStore.find(workspaceId, keyId)
                .filter(k -> k.revokedAt() == null && (k.expiresAt() == null || k.expiresAt() > clock.millis()));
        return key.flatMap(k -> accounts.findMember(workspaceId, k.createdBy()).map(creator ->
                new Principal(Principal.Type.API_KEY, workspaceId, k.createdBy(), k.id(), k.prefix(),
                        lower(k.role(), creator.role()), k.models())));
    }

    private static Role lower(Role a, Role b) {
        return a.atLeast(b) ? b : a;
    }

    /**
     * @param apiKey        the {@code X-API-Key} header, or {@code null}
     * @param authorization the {@code Authorization} header, or {@code null}
     * @throws GatewayException (authentication, 401) when the credentials are missing or invalid
     */
    public Principal authenticate(String apiKey, String authorization) {
        boolean hasKey = apiKey != null && !apiKey.isEmpty();
        boolean hasAuth = authorization != null && !authorization.isEmpty();
        if (hasKey && hasAuth) {
            throw GatewayException.unauthenticated("ambiguous_credentials",
                    "send either X-API-Key or Authorization: Bearer, not both");
        }
        if (hasKey) {
            String key = apiKey.strip();
            if (looksLikeJwt(key)) {
                throw GatewayException.unauthenticated("access_token_as_api_key",
                        "X-API-Key takes an API key (aimp_sk_...); send access tokens as Authorization: Bearer <access_token>");
            }
            return keys.authenticate(key);
        }
        if (hasAuth) {
            String token = bearerToken(authorization);
            if (ApiKeys.looksLikeApiKey(token)) {
                throw GatewayException.unauthenticated("api_key_as_bearer",
                        "API keys must be sent in the X-API-Key header; Authorization: Bearer is only for access tokens of signed-in sessions");
            }
            return sessions.authenticate(token);
        }
        throw GatewayException.unauthenticated("authentication_required",
                "send an API key in the X-API-Key header, or an access token as Authorization: Bearer <access_token>");
    }

    private static String bearerToken(String authorization) {
        String value = authorization.strip();
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw GatewayException.unauthenticated("unsupported_authorization",
                    "the Authorization header must be 'Bearer <access_token>'; servers use the X-API-Key header");
        }
        return value.substring(7).strip();
    }

    private static boolean looksLikeJwt(String value) {
        return value.startsWith("eyJ") && value.chars().filter(c -> c == '.').count() == 2;
    }
}
