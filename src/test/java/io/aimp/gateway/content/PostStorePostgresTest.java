package io.aimp.gateway.content;

import io.aimp.gateway.billing.PgTestSchemas;
import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class PostStorePostgresTest extends PostStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-posts"), PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL");
    }
}
