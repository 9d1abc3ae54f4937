package io.aimp.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class IdempotencyCanonicalTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String hash(String body) {
        return IdempotencyKeys.sha256(IdempotencyKeys.canonical(JSON.readTree(body)));
    }

    @Test
    void should_hash_the_same_body_the_same_whatever_the_key_order_and_spacing() {
        assertThat(hash("{\"model\":\"m\",\"input\":{\"a\":1,\"b\":[1,2]}}"))
                .isEqualTo(hash("{ \"input\" : {\"b\":[1, 2], \"a\":1.0}, \"model\":\"m\" }"));
    }

    @Test
    void should_hash_another_body_differently() {
        assertThat(hash("{\"model\":\"m\",\"input\":{\"a\":1}}")).isNotEqualTo(hash("{\"model\":\"m\",\"input\":{\"a\":2}}"));
        assertThat(hash("{\"input\":{\"a\":[1,2]}}")).isNotEqualTo(hash("{\"input\":{\"a\":[2,1]}}"));
    }
}
