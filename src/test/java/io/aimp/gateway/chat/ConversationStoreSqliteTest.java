package io.aimp.gateway.chat;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class ConversationStoreSqliteTest extends ConversationStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-conv"), null, null, null, 4, "NORMAL");
    }
}
