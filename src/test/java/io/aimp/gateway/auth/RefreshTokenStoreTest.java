package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Dialect;
import org.junit.jupiter.api.Nested;

/** The {@link RefreshTokenStore} contract on every backend (PostgreSQL when {@code AIMP_TEST_POSTGRES_URL} is set). */
class RefreshTokenStoreTest {

    @Nested
    class OnSqlite extends RefreshTokenStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends RefreshTokenStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
