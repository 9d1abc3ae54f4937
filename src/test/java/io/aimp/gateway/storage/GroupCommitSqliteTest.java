package io.aimp.gateway.storage;

/** SQLite. */
class GroupCommitSqliteTest extends GroupCommitTest {

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
