package io.aimp.gateway.auth;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/** Argon2id (RFC 9106) with OWASP's minimum profile: 19 MiB, 2 iterations, 1 lane. */
@Component
class PasswordHasher {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 256;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19_456, 2);
    /**
     * Verified when the email is unknown, so a login takes the same time either way: a hash of a
     * throw-away password with the same parameters as {@link #encoder}, written down rather than
     * computed at start-up (one hash costs ~0.3 s of CPU).
     */
    static final String DECOY = "$argon2id$v=19$m=19456,t=2,p=1$i2Wvjl/aWr+njOiYqGgcKw$+yBm1ryBISX3C9WwWBDaVyy3QPVZlZaNHQJ9ToYu8GA";

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    void burnDecoy(String password) {
        encoder.matches(password, DECOY);
    }
}
