package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Dialect;
import org.junit.jupiter.api.Nested;

/** The {@link AccountStore} contract on every backend (PostgreSQL when {@code AIMP_TEST_POSTGRES_URL} is set). */
class AccountStoreTest {

    @Nested
    class OnSqlite extends AccountStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends AccountStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
