package io.aimp.gateway.media;

import io.aimp.gateway.storage.Dialect;
import org.junit.jupiter.api.Nested;

/** The {@link MediaStore} contract on every backend (PostgreSQL when {@code AIMP_TEST_POSTGRES_URL} is set). */
class MediaStoreTest {

    @Nested
    class OnSqlite extends MediaStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.SQLITE;
        }
    }

    @Nested
    class OnPostgresql extends MediaStoreContract {
        @Override
        protected Dialect dialect() {
            return Dialect.POSTGRESQL;
        }
    }
}
