package io.aimp.gateway.storage;

/** The two SQL dialects the gateway speaks. Most SQL is shared; migrations are per dialect. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }
}
