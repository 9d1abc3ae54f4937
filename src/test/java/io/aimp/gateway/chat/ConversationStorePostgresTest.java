package io.aimp.gateway.chat;

import io.aimp.gateway.billing.PgTestSchemas;
import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
class ConversationStorePostgresTest extends ConversationStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-conv"), PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL");
    }
}
