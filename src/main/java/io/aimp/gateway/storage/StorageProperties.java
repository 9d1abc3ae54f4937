package io.aimp.gateway.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where data lives. {@code aimp.data-dir} (AIMP_DATA_DIR) holds the SQLite file, indexes and blobs;
 * {@code aimp.database-url} (AIMP_DATABASE_URL) switches to PostgreSQL when it is a
 * {@code jdbc:postgresql:} URL.
 */
@ConfigurationProperties("aimp")
public record StorageProperties(
        @DefaultValue("./data") Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        @DefaultValue("16") int databasePoolSize,
        @DefaultValue("NORMAL") String sqliteSynchronous) {

    public StorageProperties {
        if (databaseUrl != null && databaseUrl.isBlank()) {
            databaseUrl = null;
        }
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException(
                    "aimp.database-url (AIMP_DATABASE_URL) must start with jdbc:postgresql: or jdbc:sqlite:");
        }
        if (databasePoolSize < 1 || databasePoolSize > 512) {
            throw new IllegalArgumentException("aimp.database-pool-size must be between 1 and 512");
        }
        if (!java.util.Set.of("OFF", "NORMAL", "FULL", "EXTRA").contains(sqliteSynchronous)) {
            throw new IllegalArgumentException("aimp.sqlite-synchronous must be one of OFF, NORMAL, FULL, EXTRA");
        }
    }

    public Dialect dialect() {
        return databaseUrl != null && databaseUrl.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }
}
