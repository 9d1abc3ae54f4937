package io.aimp.gateway.playground;

import io.aimp.gateway.storage.Dialect;

class ReleaseResultStoreSqliteTest extends ReleaseResultStoreContract {

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
