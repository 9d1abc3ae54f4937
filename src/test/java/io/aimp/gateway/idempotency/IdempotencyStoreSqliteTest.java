package io.aimp.gateway.idempotency;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class IdempotencyStoreSqliteTest extends IdempotencyStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-idem"), null, null, null, 4, "NORMAL");
    }
}
