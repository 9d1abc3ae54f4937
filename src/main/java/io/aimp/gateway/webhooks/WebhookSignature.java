package io.aimp.gateway.webhooks;

import io.aimp.gateway.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures in the Standard Webhooks scheme: the secret is {@code whsec_} and the base64 of 24 random
 * bytes; a delivery carries {@code webhook-id} (the event id), {@code webhook-timestamp} (Unix seconds
 * of the attempt) and {@code webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">} under
 * the secret's bytes. A receiver recomputes it, compares in constant time and refuses a timestamp far
 * from its clock (replays).
 */
public final class WebhookSignature {

    static final String PREFIX = "whsec_";

    private WebhookSignature() {
    }

    static String newSecret() {
        return PREFIX + Base64.getEncoder().encodeToString(Secrets.randomBytes(24));
    }

    /** The {@code webhook-signature} value of {@code body} sent as event {@code id} at {@code timestamp} (seconds). */
    public static String sign(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
