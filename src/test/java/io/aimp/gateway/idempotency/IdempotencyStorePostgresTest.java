package io.aimp.gateway.idempotency;

import io.aimp.gateway.billing.PgTestSchemas;
import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class IdempotencyStorePostgresTest extends IdempotencyStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-idem"), PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL");
    }
}
