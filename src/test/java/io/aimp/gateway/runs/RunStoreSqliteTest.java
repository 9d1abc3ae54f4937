package io.aimp.gateway.runs;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class RunStoreSqliteTest extends RunStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-runs"), null, null, null, 4, "NORMAL");
    }
}
