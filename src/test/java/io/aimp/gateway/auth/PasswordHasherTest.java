package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    /** "$argon2id$v=19$m=...,t=...,p=..." — everything but the salt and the hash. */
    private static String parameters(String encoded) {
        return encoded.substring(0, encoded.lastIndexOf('$', encoded.lastIndexOf('$') - 1));
    }

    @Test
    void should_verify_the_decoy_with_the_same_parameters_as_a_real_hash() {
        String real = hasher.hash("a real password of some length");

        // the same algorithm, version, memory, iterations and lanes: an unknown email costs what a wrong password costs
        assertThat(parameters(PasswordHasher.DECOY)).isEqualTo(parameters(real)).isEqualTo("$argon2id$v=19$m=19456,t=2,p=1");
        assertThat(hasher.matches("decoy-password-for-timing", PasswordHasher.DECOY)).isTrue();
        assertThat(hasher.matches("decoy-password-for-timing!", PasswordHasher.DECOY)).isFalse();
    }

    @Test
    void should_match_only_the_hashed_password_and_salt_every_hash() {
        String first = hasher.hash("correct horse battery");
        String second = hasher.hash("correct horse battery");

        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.matches("correct horse battery", first)).isTrue();
        assertThat(hasher.matches("correct horse battery", second)).isTrue();
        assertThat(hasher.matches("correct horse batterY", first)).isFalse();
    }
}
