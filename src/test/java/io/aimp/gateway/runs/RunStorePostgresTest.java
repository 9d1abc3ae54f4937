package io.aimp.gateway.runs;

import io.aimp.gateway.billing.PgTestSchemas;
import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class RunStorePostgresTest extends RunStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-runs"), PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL");
    }
}
