package io.aimp.gateway.jobs;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class JobStoreSqliteTest extends JobStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-jobs"), null, null, null, 4, "NORMAL");
    }
}
