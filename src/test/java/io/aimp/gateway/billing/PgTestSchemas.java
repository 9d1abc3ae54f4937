package io.aimp.gateway.billing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema per test class, on the server named by {@code AIMP_TEST_POSTGRES_URL}.
 * An unreachable server fails the test; it never skips. The schema is dropped when the test JVM exits.
 * (Until the shared storage test helper lands; then this goes.)
 */
public final class PgTestSchemas {

    public static final String ENV = "AIMP_TEST_POSTGRES_URL";

    private PgTestSchemas() {
    }

    /** Creates {@code t_<random>} and returns a JDBC URL whose current schema it is. */
    public static String freshSchemaUrl() {
        String base = System.getenv(ENV);
        if (base == null || base.isBlank()) {
            throw new IllegalStateException(ENV + " is not set");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + ENV + " is unreachable or refused: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + schema + " cascade");
            } catch (SQLException e) {
                // the server is gone: nothing to clean
            }
        }));
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
