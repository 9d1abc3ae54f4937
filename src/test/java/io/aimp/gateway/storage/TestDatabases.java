package io.aimp.gateway.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Migrated databases for store contract tests: SQLite in a temporary directory (always available)
 * and PostgreSQL in a fresh schema of the server named by {@code AIMP_TEST_POSTGRES_URL} (or the
 * system property {@code aimp.test.postgres.url}). When that URL is set the PostgreSQL tests must
 * run: an unreachable server fails them, it never skips them.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL_ENV = "AIMP_TEST_POSTGRES_URL";
    public static final String POSTGRES_URL_PROPERTY = "aimp.test.postgres.url";

    private TestDatabases() {
    }

    /** A migrated database and what it takes to throw it away. */
    public static final class TestDatabase implements AutoCloseable {
        private final Database database;
        private final HikariDataSource pool;
        private final Runnable cleanup;

        private TestDatabase(HikariDataSource pool, Dialect dialect, Runnable cleanup) {
            this.pool = pool;
            this.database = new Database(pool, dialect);
            this.cleanup = cleanup;
        }

        public Database database() {
            return database;
        }

        public Dialect dialect() {
            return database.dialect();
        }

        @Override
        public void close() {
            pool.close();
            cleanup.run();
        }
    }

    /** The PostgreSQL server for tests, when one is configured. */
    public static Optional<String> postgresUrl() {
        String url = System.getProperty(POSTGRES_URL_PROPERTY);
        if (isUnset(url)) {
            url = System.getenv(POSTGRES_URL_ENV);
        }
        return isUnset(url) ? Optional.empty() : Optional.of(url.strip());
    }

    private static boolean isUnset(String value) {
        // Maven leaves an unresolved ${...} in place when the variable is missing
        return value == null || value.isBlank() || value.startsWith("${");
    }

    /**
     * A database of {@code dialect}; for PostgreSQL the test is aborted (skipped) when no server is
     * configured, and fails when one is configured but cannot be reached.
     */
    public static TestDatabase open(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> sqlite();
            case POSTGRESQL -> {
                Assumptions.assumeTrue(postgresUrl().isPresent(),
                        "PostgreSQL store tests run when " + POSTGRES_URL_ENV + " is set");
                yield postgres(postgresUrl().orElseThrow());
            }
        };
    }

    /** SQLite in its own temporary data directory, deleted on close. */
    public static TestDatabase sqlite() {
        Path dir;
        try {
            dir = Files.createTempDirectory("aimp-store-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariDataSource pool = DataSources.create(new StorageProperties(dir, null, null, null, 4, "NORMAL"));
        DataSources.migrate(pool, Dialect.SQLITE);
        return new TestDatabase(pool, Dialect.SQLITE, () -> deleteTree(dir));
    }

    /** A fresh schema {@code t_<random>} on the server at {@code baseUrl}, dropped on close. */
    public static TestDatabase postgres(String baseUrl) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(baseUrl, "create schema " + schema);
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        HikariDataSource pool;
        try {
            pool = DataSources.create(new StorageProperties(Path.of("unused"), url, null, null, 4, "FULL"));
            DataSources.migrate(pool, Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            execute(baseUrl, "drop schema if exists " + schema + " cascade");
            throw e;
        }
        return new TestDatabase(pool, Dialect.POSTGRESQL, () -> execute(baseUrl, "drop schema if exists " + schema + " cascade"));
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests (" + POSTGRES_URL_ENV + ") failed on: " + sql, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
