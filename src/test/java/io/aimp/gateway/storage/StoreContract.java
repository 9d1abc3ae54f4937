package io.aimp.gateway.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of every store contract test: one migrated database per test class and dialect. A contract
 * class extends this and tests the store interface; one small subclass per dialect names the backend.
 * Tests share the database, so each one makes its own rows (random ids) and asserts on those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract {

    private TestDatabases.TestDatabase testDatabase;

    /** The backend this run of the contract uses. */
    protected abstract Dialect dialect();

    /** Builds the store(s) under test over the freshly migrated database. */
    protected abstract void createStores(Database database);

    @BeforeAll
    final void openDatabase() {
        testDatabase = TestDatabases.open(dialect());
        createStores(testDatabase.database());
    }

    @AfterAll
    final void closeDatabase() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }

    protected Database database() {
        return testDatabase.database();
    }
}
