package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
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

    Authenticator(ApiKeyService keys, SessionService sessions) {
        this.keys = keys;
        this.sessions = sessions;
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

    /**
     * The principal of queued or background work, re-read from its stored reference by the same rules
     * as {@link #authenticate}: an API key by its id (its role capped by its creator's current role),
     * a user by their current membership.
     *
     * @param userId the user (for a key: ignored, the key's creator is read from the key)
     * @param keyId  the key's id, for {@link Principal.Type#API_KEY}
     * @return empty when the key is revoked, expired or unknown, or the user (the key's creator) is no
     *         longer a member of the workspace
     */
    public Optional<Principal> current(Principal.Type type, String workspaceId, String userId, String keyId) {
        if (workspaceId == null) {
            return Optional.empty();
        }
        return switch (type) {
            case API_KEY -> keyId == null ? Optional.empty() : keys.current(workspaceId, keyId);
            case USER -> userId == null ? Optional.empty() : sessions.current(workspaceId, userId);
        };
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
