package io.aimp.gateway.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.aimp.gateway.auth.ApiKeyStore.ApiKey;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.RedactingConverters;
import io.aimp.gateway.common.Secrets;
import io.aimp.gateway.common.Times;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * API keys: creation (the secret is returned once), listing, revocation and authentication.
 * Look-ups are cached so a valid key costs no database round trip on the hot path; cache entries
 * refresh in the background after 500 ms and expire after 1 s, so a key revoked on another node is
 * refused within a second (on this node at once). A key acts with the lower of its own role and its
 * creator's current role ({@link Memberships}, cached the same way).
 */
@Service
public class ApiKeyService {

    static final int MAX_NAME = 100;
    static final int MAX_MODELS = 100;

    private final ApiKeyStore store;
    private final Memberships memberships;
    private final Secrets.Hmac pepper;
    private final Clock clock;
    private final LoadingCache<String, Optional<ApiKey>> byHash;
    private final Map<String, Long> pendingLastUsed = new ConcurrentHashMap<>();

    ApiKeyService(ApiKeyStore store, Memberships memberships, ServerSecrets secrets, Clock clock) {
        this.store = store;
        this.memberships = memberships;
        this.pepper = Secrets.hmac(secrets.apiKeyPepper());
        this.clock = clock;
        this.byHash = Caffeine.newBuilder()
                .maximumSize(100_000)
                .refreshAfterWrite(Duration.ofMillis(500))
                .expireAfterWrite(Duration.ofSeconds(1))
                .build(store::findByHash);
    }

    public record CreateKey(String name, Role role, Set<String> models, Long expiresAt) {
    }

    /** A key as the API shows it: never the secret or its hash. */
    public record KeyView(String id, String object, String name, String prefix, String role, Set<String> models,
                          Instant expiresAt, Instant lastUsedAt, Instant createdAt, Instant revokedAt, String createdBy) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), "api_key", k.name(), k.prefix(), k.role().wireName(), k.models(),
                    Times.instant(k.expiresAt()), Times.instant(k.lastUsedAt()), Times.instant(k.createdAt()),
                    Times.instant(k.revokedAt()), k.createdBy());
        }
    }

    public record CreatedKey(KeyView key, String secret) {
    }

    public CreatedKey create(Principal caller, CreateKey cmd) {
        caller.require(Permission.MANAGE_KEYS);
        Role role = cmd.role() == null ? (caller.role().atLeast(Role.DEVELOPER) ? Role.DEVELOPER : caller.role()) : cmd.role();
        if (!caller.role().atLeast(role)) {
            throw GatewayException.forbidden("role_above_creator",
                    "a key's role may not exceed its creator's (" + caller.role().wireName() + ")");
        }
        Set<String> models = cmd.models();
        if (caller.models() != null) {
            // a key made by a restricted key can only narrow the allowlist
            if (models == null || !caller.models().containsAll(models)) {
                throw GatewayException.forbidden("models_above_creator",
                        "a key created by a key with a model allowlist must list a subset of that allowlist");
            }
        }
        validateName(cmd.name());
        if (models != null) {
            if (models.isEmpty() || models.size() > MAX_MODELS) {
                throw GatewayException.invalidField("invalid_models", "$.models",
                        "models must list between 1 and " + MAX_MODELS + " model slugs or ids, or be omitted for all models");
            }
            for (String m : models) {
                if (m == null || !m.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,99}")) {
                    throw GatewayException.invalidField("invalid_models", "$.models", "each model must be a slug or id");
                }
                // a credential pasted here would be stored in plain text and shown to every admin
                if (!RedactingConverters.redact(m).equals(m)) {
                    throw GatewayException.invalidField("invalid_models", "$.models",
                            "a model entry looks like an API key or token; list model slugs or ids");
                }
            }
        }
        long now = clock.millis();
        if (cmd.expiresAt() != null && cmd.expiresAt() <= now) {
            throw GatewayException.invalidField("invalid_expiry", "$.expires_at", "expires_at must be in the future");
        }
        String secret = ApiKeys.generate();
        ApiKey key = insert(caller.workspaceId(), caller.userId(), cmd.name(), role, models, cmd.expiresAt(), secret, now);
        return new CreatedKey(KeyView.of(key), secret);
    }

    /** Creates a key without a calling principal (first start). {@code secret} may be a preset value. */
    CreatedKey createInitial(String workspaceId, String userId, String name, Role role, String secret) {
        String s = secret != null ? secret : ApiKeys.generate();
        ApiKey key = insert(workspaceId, userId, name, role, null, null, s, clock.millis());
        return new CreatedKey(KeyView.of(key), s);
    }

    private ApiKey insert(String workspaceId, String userId, String name, Role role, Set<String> models,
                          Long expiresAt, String secret, long now) {
        ApiKey key = new ApiKey(Ids.newId("key"), workspaceId, userId, name, ApiKeys.displayPrefix(secret),
                hash(secret), role, models == null ? null : Set.copyOf(models), expiresAt, null, now, null);
        store.insert(key);
        return key;
    }

    public List<KeyView> list(Principal caller, boolean includeRevoked) {
        caller.require(Permission.MANAGE_KEYS);
        return store.list(caller.workspaceId(), includeRevoked).stream().map(KeyView::of).toList();
    }

    public KeyView get(Principal caller, String id) {
        caller.require(Permission.MANAGE_KEYS);
        return store.find(caller.workspaceId(), id).map(KeyView::of)
                .orElseThrow(() -> GatewayException.notFound("API key " + safeId(id)));
    }

    public KeyView revoke(Principal caller, String id) {
        caller.require(Permission.MANAGE_KEYS);
        ApiKey key = store.find(caller.workspaceId(), id)
                .orElseThrow(() -> GatewayException.notFound("API key " + safeId(id)));
        if (!caller.role().atLeast(key.role())) {
            throw GatewayException.forbidden("role_above_caller", "a key with a higher role than yours cannot be revoked by you");
        }
        store.revoke(caller.workspaceId(), id, clock.millis());
        byHash.invalidate(key.secretHash());
        return store.find(caller.workspaceId(), id).map(KeyView::of).orElseThrow();
    }

    /** Resolves a presented key to a principal, or refuses with a 401. */
    Principal authenticate(String presented) {
        if (!ApiKeys.isWellFormed(presented)) {
            throw GatewayException.unauthenticated("invalid_api_key", "the API key is not valid");
        }
        String hash = hash(presented);
        ApiKey key = byHash.get(hash).orElse(null);
        // the hash came from an index look-up; compare it again in constant time all the same
        if (key == null || !Secrets.constantTimeEquals(key.secretHash(), hash)) {
            throw GatewayException.unauthenticated("invalid_api_key", "the API key is not valid");
        }
        long now = clock.millis();
        Principal principal = resolve(key, now);
        pendingLastUsed.merge(key.id(), now, Math::max);
        return principal;
    }

    /**
     * The principal of a stored key now, by the rules of {@link #authenticate}; empty when the key is
     * unknown in that workspace, revoked, expired, or its creator is no longer a member.
     */
    Optional<Principal> current(String workspaceId, String keyId) {
        Optional<ApiKey> key = store.find(workspaceId, keyId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(resolve(key.get(), clock.millis()));
        } catch (GatewayException refused) {
            return Optional.empty();
        }
    }

    /**
     * A key's rights are never more than its creator's now: the effective role is the lower of the
     * key's own role and the creator's current role in the workspace, and a key whose creator has left
     * the workspace no longer works.
     */
    private Principal resolve(ApiKey key, long now) {
        if (key.revokedAt() != null) {
            throw GatewayException.unauthenticated("invalid_api_key", "the API key is not valid");
        }
        if (key.expiresAt() != null && key.expiresAt() <= now) {
            throw GatewayException.unauthenticated("api_key_expired", "the API key has expired; create a new one");
        }
        Role creator = memberships.role(key.workspaceId(), key.createdBy()).orElseThrow(() ->
                GatewayException.unauthenticated("api_key_creator_not_member",
                        "the API key's creator is no longer a member of this workspace, so the key no longer works"));
        Role effective = creator.atLeast(key.role()) ? key.role() : creator;
        return new Principal(Principal.Type.API_KEY, key.workspaceId(), key.createdBy(), key.id(), key.prefix(),
                effective, key.models());
    }

    /** Writes last-used times in one batch instead of one write per request. */
    @Scheduled(fixedDelayString = "${aimp.keys.last-used-flush-ms:15000}")
    void flushLastUsed() {
        if (pendingLastUsed.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (String id : List.copyOf(pendingLastUsed.keySet())) {
            Long at = pendingLastUsed.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        store.touch(batch);
    }

    @jakarta.annotation.PreDestroy
    void flushOnShutdown() {
        try {
            flushLastUsed();
        } catch (RuntimeException e) {
            // shutting down: last-used times are advisory
        }
    }

    private String hash(String secret) {
        return pepper.hex(secret);
    }

    static void validateName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw GatewayException.invalidField("invalid_name", "$.name",
                    "name is required and may have at most " + MAX_NAME + " characters");
        }
    }

    /** An id fit to echo in an answer: short, plain, and not a credential put in the path by mistake. */
    static String safeId(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}") && RedactingConverters.redact(id).equals(id) ? id : "(invalid id)";
    }
}
