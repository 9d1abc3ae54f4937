package io.aimp.gateway.billing;

import io.aimp.gateway.billing.GatewayHarness.Client;
import io.aimp.gateway.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real application over HTTP with {@link GatewayHarness}'s catalog, fake provider and keys, on
 * SQLite in a fresh data dir. A subclass adds its own properties with a {@code @DynamicPropertySource}
 * of another name (PostgreSQL, stage switches); both apply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class HarnessHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Database db;

    Client client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("aimp-billing-test");
        GatewayHarness.properties(dir).forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeEach
    void setUp() {
        client = new Client(port);
    }

    long micros(String workspaceId, String column) {
        return db.jdbc().sql("select " + column + " from wallets where workspace_id = ?").param(workspaceId)
                .query(Long.class).single();
    }

    long count(String sql, Object... args) {
        return db.jdbc().sql(sql).params(args).query(Long.class).single();
    }
}
