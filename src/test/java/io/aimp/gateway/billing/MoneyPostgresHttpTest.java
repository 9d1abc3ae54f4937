package io.aimp.gateway.billing;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The money rules on PostgreSQL (hold rows, conditional updates), in a fresh schema; runs when AIMP_TEST_POSTGRES_URL is set. */
@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class MoneyPostgresHttpTest extends MoneyHttpTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String url = PgTestSchemas.freshSchemaUrl();
        registry.add("aimp.database-url", () -> url);
        // the test JVM keeps this context (and its pool) until it exits: a small pool leaves the server room
        registry.add("aimp.database-pool-size", () -> "6");
    }
}
