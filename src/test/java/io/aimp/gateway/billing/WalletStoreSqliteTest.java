package io.aimp.gateway.billing;

import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;

class WalletStoreSqliteTest extends WalletStoreContract {

    @Override
    StorageProperties storage() throws Exception {
        return new StorageProperties(Files.createTempDirectory("aimp-wallet"), null, null, null, 4, "NORMAL");
    }
}
