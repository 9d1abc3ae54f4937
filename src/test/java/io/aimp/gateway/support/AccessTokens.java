package io.aimp.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forges access tokens the way the gateway signs them: HS256 under HMAC-SHA256(secret key,
 * "token_signing_key"), issuer = public URL, audience {@code aimp-gateway}, claims {@code ws} and
 * {@code sid}. Each builder method changes one thing so a test can show that thing is checked.
 */
public final class AccessTokens {

    public static final String AUDIENCE = "aimp-gateway";

    private final byte[] signingKey;
    private String issuer;
    private String audience = AUDIENCE;
    private String subject;
    private String workspaceId;
    private String sessionId = "sess_forged" + TestSecrets.base62(10);
    private long expiresAt = System.currentTimeMillis() + 600_000;
    private JWSAlgorithm algorithm = JWSAlgorithm.HS256;
    private byte[] keyOverride;

    private AccessTokens(String secretKey, String issuer) {
        this.signingKey = hmac(secretKey.getBytes(StandardCharsets.UTF_8), "token_signing_key");
        this.issuer = issuer;
    }

    public static AccessTokens forGateway(String secretKey, String publicUrl) {
        return new AccessTokens(secretKey, publicUrl);
    }

    public AccessTokens user(String userId, String workspaceId) {
        this.subject = userId;
        this.workspaceId = workspaceId;
        return this;
    }

    public AccessTokens issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public AccessTokens audience(String audience) {
        this.audience = audience;
        return this;
    }

    public AccessTokens expiresAt(long epochMillis) {
        this.expiresAt = epochMillis;
        return this;
    }

    /** Signs with another algorithm (HS512 needs a 64-byte key: a different one is used). */
    public AccessTokens algorithm(JWSAlgorithm algorithm) {
        this.algorithm = algorithm;
        return this;
    }

    public AccessTokens signedWith(byte[] key) {
        this.keyOverride = key;
        return this;
    }

    public String sign() {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject(subject)
                .claim("ws", workspaceId).claim("sid", sessionId)
                .jwtID("jti_" + TestSecrets.base62(12))
                .issueTime(new Date(now - 120_000)).notBeforeTime(new Date(now - 120_000))
                .expirationTime(new Date(expiresAt))
                .build();
        byte[] key = keyOverride != null ? keyOverride
                : algorithm == JWSAlgorithm.HS256 ? signingKey : concat(signingKey, signingKey);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The same claims with {@code "alg": "none"} and an empty signature. */
    public String unsigned() {
        String[] parts = sign().split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + ".";
    }

    /** A valid token whose signature has one character changed. */
    public String tampered() {
        String t = sign();
        int i = t.lastIndexOf('.') + 5;
        char c = t.charAt(i) == 'A' ? 'B' : 'A';
        return t.substring(0, i) + c + t.substring(i + 1);
    }

    private static byte[] hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
