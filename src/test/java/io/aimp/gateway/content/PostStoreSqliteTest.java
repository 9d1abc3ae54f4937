package io.aimp.gateway.content;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class PostStoreSqliteTest extends PostStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-posts"), null, null, null, 4, "NORMAL");
    }
}
