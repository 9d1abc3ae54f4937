package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
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
