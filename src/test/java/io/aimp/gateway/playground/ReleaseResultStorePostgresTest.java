package io.aimp.gateway.playground;

import io.aimp.gateway.storage.Dialect;

/** Runs when AIMP_TEST_POSTGRES_URL is set (skipped otherwise; fails when it is set and unreachable). */
class ReleaseResultStorePostgresTest extends ReleaseResultStoreContract {

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
