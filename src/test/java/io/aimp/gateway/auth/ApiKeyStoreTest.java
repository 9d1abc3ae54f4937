package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Dialect;
import org.junit.jupiter.api.Nested;

/** The {@link ApiKeyStore} contract on every backend (PostgreSQL when {@code AIMP_TEST_POSTGRES_URL} is set). */
class ApiKeyStoreTest {

    @Nested
    class OnSqlite extends ApiKeyStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends ApiKeyStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
