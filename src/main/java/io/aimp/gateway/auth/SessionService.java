package io.aimp.gateway.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.aimp.gateway.auth.AccountStore.Member;
import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.RefreshTokenStore.RefreshToken;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Secrets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Browser sessions: sign-in with email and password, short-lived signed access tokens (JWT, HS256
 * pinned, issuer and audience checked) and rotating refresh tokens. Presenting a refresh token that
 * was already rotated revokes its whole family (it was stolen or replayed).
 */
@Service
public class SessionService {

    static final String AUDIENCE = "aimp-gateway";
    private static final String REFRESH_PREFIX = "aimp_rt_";
    private static final long CLOCK_SKEW_MS = 30_000;

    private final AccountStore accounts;
    private final RefreshTokenStore refreshTokens;
    private final PasswordHasher passwords;
    private final LoginLimiter limiter;
    private final Clock clock;
    private final AuthProperties props;
    private final byte[] signingKey;
    private final byte[] hashKey;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Memberships memberships;
    private final LoadingCache<String, Boolean> revokedFamilies;

    SessionService(AccountStore accounts, RefreshTokenStore refreshTokens, PasswordHasher passwords,
                   LoginLimiter limiter, ServerSecrets secrets, Clock clock, AuthProperties props,
                   io.aimp.gateway.storage.Database db, Memberships memberships) {
        this.accounts = accounts;
        this.refreshTokens = refreshTokens;
        this.passwords = passwords;
        this.limiter = limiter;
        this.clock = clock;
        this.props = props;
        this.signingKey = secrets.tokenSigningKey();
        this.hashKey = secrets.apiKeyPepper();
        try {
            this.signer = new MACSigner(signingKey);
            this.verifier = new MACVerifier(signingKey);
        } catch (JOSEException e) {
            throw new IllegalStateException("token signing key unusable", e);
        }
        this.memberships = memberships;
        this.revokedFamilies = Caffeine.newBuilder().maximumSize(100_000)
                .refreshAfterWrite(Duration.ofMillis(500)).expireAfterWrite(Duration.ofSeconds(1))
                .build(family -> db.jdbc()
                        .sql("select count(*) from refresh_tokens where family_id = ? and revoked_at is not null")
                        .param(family).query(Long.class).single() > 0);
    }

    public record Tokens(String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn,
                         String workspaceId, Role role, String userId, String email) {
    }

    public Tokens login(String email, String password, String workspaceId, String clientIp) {
        if (email == null || email.isBlank() || email.length() > 254 || password == null || password.isEmpty()
                || password.length() > PasswordHasher.MAX_LENGTH) {
            throw GatewayException.invalid("invalid_credentials_format", "email and password are required");
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        limiter.check(normalized, clientIp);
        Optional<User> user = accounts.findUserByEmail(normalized);
        if (user.isEmpty()) {
            passwords.burnDecoy(password);
            throw badLogin();
        }
        if (!passwords.matches(password, user.get().passwordHash())) {
            throw badLogin();
        }
        List<Member> member = accounts.membershipsOf(user.get().id());
        Member chosen = member.stream()
                .filter(m -> workspaceId == null || m.workspaceId().equals(workspaceId))
                .findFirst()
                .orElseThrow(() -> workspaceId == null
                        ? GatewayException.forbidden("no_workspace", "this account belongs to no workspace")
                        : GatewayException.notFound("workspace " + ApiKeyService.safeId(workspaceId)));
        return issue(user.get(), chosen, Ids.newId("sess"));
    }

    public Tokens refresh(String presented) {
        RefreshToken token = findRefresh(presented)
                .orElseThrow(() -> GatewayException.unauthenticated("invalid_refresh_token", "the refresh token is not valid"));
        long now = clock.millis();
        if (token.revokedAt() != null || token.expiresAt() <= now) {
            throw GatewayException.unauthenticated("invalid_refresh_token", "the refresh token is not valid");
        }
        if (token.usedAt() != null || !refreshTokens.markUsed(token.id(), now)) {
            // a rotated token came back: treat the whole session as compromised
            refreshTokens.revokeFamily(token.familyId(), now);
            revokedFamilies.invalidate(token.familyId());
            throw GatewayException.unauthenticated("refresh_token_reused",
                    "the refresh token was already used; the session has been signed out");
        }
        User user = accounts.findUser(token.userId()).orElseThrow(
                () -> GatewayException.unauthenticated("invalid_refresh_token", "the refresh token is not valid"));
        Member member = accounts.findMember(token.workspaceId(), token.userId()).orElseThrow(
                () -> GatewayException.unauthenticated("invalid_refresh_token", "the refresh token is not valid"));
        return issue(user, member, token.familyId());
    }

    /** Signs the session out: its refresh tokens stop working and its access tokens are refused within 1 s. */
    public void logout(String presented) {
        findRefresh(presented).ifPresent(t -> {
            refreshTokens.revokeFamily(t.familyId(), clock.millis());
            revokedFamilies.invalidate(t.familyId());
        });
    }

    /** Verifies an access token and resolves the user's current role in its workspace. */
    Principal authenticate(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw invalidToken();
        }
        // the algorithm is pinned: anything but HS256 (including "none") is refused before verifying
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw invalidToken();
        }
        JWTClaimsSet claims;
        try {
            if (!jwt.verify(verifier)) {
                throw invalidToken();
            }
            claims = jwt.getJWTClaimsSet();
        } catch (JOSEException | ParseException e) {
            throw invalidToken();
        }
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp == null || exp.getTime() + CLOCK_SKEW_MS <= now) {
            throw GatewayException.unauthenticated("access_token_expired", "the access token has expired; refresh it");
        }
        if (!props.publicUrl().equals(claims.getIssuer()) || claims.getAudience() == null
                || !claims.getAudience().contains(AUDIENCE)) {
            throw invalidToken();
        }
        Object ws = claims.getClaim("ws");
        Object sid = claims.getClaim("sid");
        String userId = claims.getSubject();
        if (!(ws instanceof String workspaceId) || !(sid instanceof String family) || userId == null) {
            throw invalidToken();
        }
        if (revokedFamilies.get(family)) {
            throw GatewayException.unauthenticated("session_ended", "this session was signed out; sign in again");
        }
        return current(workspaceId, userId).orElseThrow(() -> GatewayException.unauthenticated("session_ended",
                "the account is no longer a member of this workspace"));
    }

    /** The user's principal in the workspace with the current role, or empty when not a member. */
    Optional<Principal> current(String workspaceId, String userId) {
        return memberships.role(workspaceId, userId)
                .map(role -> new Principal(Principal.Type.USER, workspaceId, userId, null, null, role, null));
    }

    private Tokens issue(User user, Member member, String familyId) {
        long now = clock.millis();
        long accessTtl = props.sessions().accessTokenTtl().toMillis();
        long refreshTtl = props.sessions().refreshTokenTtl().toMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(props.publicUrl())
                .audience(AUDIENCE)
                .subject(user.id())
                .claim("ws", member.workspaceId())
                .claim("sid", familyId)
                .jwtID(Ids.newId("jti"))
                .issueTime(new Date(now))
                .notBeforeTime(new Date(now - CLOCK_SKEW_MS))
                .expirationTime(new Date(now + accessTtl))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        String refresh = REFRESH_PREFIX + Secrets.randomBase62(43);
        refreshTokens.insert(new RefreshToken(Ids.newId("rt"), familyId, user.id(), member.workspaceId(),
                Secrets.hmacHex(hashKey, refresh), now + refreshTtl, now, null, null));
        return new Tokens(jwt.serialize(), accessTtl / 1000, refresh, refreshTtl / 1000, member.workspaceId(),
                member.role(), user.id(), user.email());
    }

    private Optional<RefreshToken> findRefresh(String presented) {
        if (presented == null || !presented.startsWith(REFRESH_PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        return refreshTokens.findByHash(Secrets.hmacHex(hashKey, presented));
    }

    private static GatewayException badLogin() {
        return GatewayException.unauthenticated("invalid_credentials", "the email or password is wrong");
    }

    private static GatewayException invalidToken() {
        return GatewayException.unauthenticated("invalid_access_token", "the access token is not valid");
    }
}
