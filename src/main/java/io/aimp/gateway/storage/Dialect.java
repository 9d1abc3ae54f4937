package io.aimp.gateway.storage;

/**
 * The two SQL dialects the gateway speaks. Most SQL is shared, and so are most migrations: a migration
 * both dialects run alike lives in {@code db/migration/common}, one that differs has a version of its own
 * in each dialect's folder (a version appears in exactly one of the two folders a dialect reads).
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** Where Flyway finds this dialect's migrations: the common ones and its own. */
    public String[] migrationLocations() {
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + migrationFolder};
    }
}
