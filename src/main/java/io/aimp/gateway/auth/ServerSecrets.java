package io.aimp.gateway.auth;

import io.aimp.gateway.common.Secrets;
import io.aimp.gateway.storage.Database;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * The gateway's own keys: the pepper for API key hashes and the token signing key. Derived from
 * {@code aimp.secret-key} when it is set; otherwise generated once and kept in the database, so
 * every node that shares the database agrees on them.
 */
@Component
class ServerSecrets {

    private final byte[] apiKeyPepper;
    private final byte[] tokenSigningKey;

    ServerSecrets(AuthProperties props, Database db, java.time.Clock clock) {
        this.apiKeyPepper = load(props, db, clock, "api_key_pepper");
        this.tokenSigningKey = load(props, db, clock, "token_signing_key");
    }

    byte[] apiKeyPepper() {
        return apiKeyPepper.clone();
    }

    byte[] tokenSigningKey() {
        return tokenSigningKey.clone();
    }

    private static byte[] load(AuthProperties props, Database db, java.time.Clock clock, String name) {
        if (props.secretKey() != null) {
            return HexFormat.of().parseHex(Secrets.hmacHex(props.secretKey().getBytes(StandardCharsets.UTF_8), name));
        }
        String fresh = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        // first node to get here wins; every node then reads the same value
        db.jdbc().sql("insert into server_secrets (name, value, created_at) values (?, ?, ?) on conflict (name) do nothing")
                .params(name, fresh, clock.millis()).update();
        String stored = db.jdbc().sql("select value from server_secrets where name = ?").param(name)
                .query(String.class).single();
        return Base64.getDecoder().decode(stored);
    }
}
