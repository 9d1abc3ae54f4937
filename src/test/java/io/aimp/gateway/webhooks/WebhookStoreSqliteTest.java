package io.aimp.gateway.webhooks;

import io.aimp.gateway.storage.Dialect;

class WebhookStoreSqliteTest extends WebhookStoreContract {

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
