package io.aimp.gateway.vectors;

import io.aimp.gateway.storage.Dialect;
import org.junit.jupiter.api.Nested;

/** The {@link VectorStore} contract on every backend (PostgreSQL when {@code AIMP_TEST_POSTGRES_URL} is set). */
class VectorStoreTest {

    @Nested
    class OnSqlite extends VectorStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends VectorStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
