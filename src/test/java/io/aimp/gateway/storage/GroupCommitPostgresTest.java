package io.aimp.gateway.storage;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** PostgreSQL. */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = ".+")
class GroupCommitPostgresTest extends GroupCommitTest {

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
