package io.aimp.gateway.media;

import io.aimp.gateway.auth.AuthProperties;
import io.aimp.gateway.common.Secrets;
import io.aimp.gateway.storage.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The token in an upload URL: {@code <upload_id>.<expiry epoch seconds>.<HMAC-SHA256>}, signed with
 * the server's media upload key. Like the other server keys (see auth/ServerSecrets) that key is
 * derived from {@code aimp.secret-key} when it is set, else generated once and kept in the
 * {@code server_secrets} table, so every node that shares the database accepts the same URLs.
 * The token proves who made the URL and until when; single use is the upload's state's job.
 */
@Component
class UploadTokens {

    static final String KEY_NAME = "media_upload_signing_key";
    private static final Pattern FORMAT = Pattern.compile("(studio_upload_[A-Za-z0-9]{24})\\.([0-9]{1,12})\\.([0-9a-f]{64})");

    /** A token whose signature checked out. */
    record Verified(String uploadId, long expiresAtSeconds) {
    }

    private final byte[] key;

    @Autowired
    UploadTokens(AuthProperties auth, Database db, Clock clock) {
        this.key = load(auth.secretKey(), db, clock);
    }

    UploadTokens(byte[] key) {
        this.key = key.clone();
    }

    String sign(String uploadId, long expiresAtSeconds) {
        String payload = uploadId + "." + expiresAtSeconds;
        return payload + "." + Secrets.hmacHex(key, payload);
    }

    /** The upload id and expiry of a well-formed token with a valid signature; empty for anything else. */
    Optional<Verified> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String payload = m.group(1) + "." + m.group(2);
        if (!Secrets.constantTimeEquals(Secrets.hmacHex(key, payload), m.group(3))) {
            return Optional.empty();
        }
        return Optional.of(new Verified(m.group(1), Long.parseLong(m.group(2))));
    }

    private static byte[] load(String secretKey, Database db, Clock clock) {
        if (secretKey != null) {
            return HexFormat.of().parseHex(Secrets.hmacHex(secretKey.getBytes(StandardCharsets.UTF_8), KEY_NAME));
        }
        String fresh = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        // the first node to get here wins; every node then reads the same value
        db.jdbc().sql("insert into server_secrets (name, value, created_at) values (?, ?, ?) on conflict (name) do nothing")
                .params(KEY_NAME, fresh, clock.millis()).update();
        String stored = db.jdbc().sql("select value from server_secrets where name = ?").param(KEY_NAME)
                .query(String.class).single();
        return Base64.getDecoder().decode(stored);
    }
}
