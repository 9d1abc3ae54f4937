package io.aimp.gateway.billing;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class WalletStorePostgresTest extends WalletStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-wallet"), PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL");
    }
}
