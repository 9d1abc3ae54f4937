package io.aimp.gateway.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/** Builds the connection pool for a dialect and migrates its schema. */
public final class DataSources {

    private DataSources() {
    }

    public static HikariDataSource create(StorageProperties props) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("aimp-db");
        if (props.dialect() == Dialect.POSTGRESQL) {
            cfg.setJdbcUrl(props.databaseUrl());
            if (props.databaseUser() != null) {
                cfg.setUsername(props.databaseUser());
            }
            if (props.databasePassword() != null) {
                cfg.setPassword(props.databasePassword());
            }
            cfg.setMaximumPoolSize(props.databasePoolSize());
        } else {
            String url = props.databaseUrl();
            if (url == null) {
                Path dir = props.dataDir().toAbsolutePath().normalize();
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create aimp.data-dir (AIMP_DATA_DIR) " + dir, e);
                }
                url = "jdbc:sqlite:" + dir.resolve("gateway.db");
            }
            cfg.setJdbcUrl(url);
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", props.sqliteSynchronous());
            cfg.addDataSourceProperty("busy_timeout", "10000");
            cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            cfg.addDataSourceProperty("foreign_keys", "true");
            // checkpoints run on their own thread (SqliteCheckpointer); this is only the safety net
            cfg.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.FALLBACK_PAGES);
            cfg.setMaximumPoolSize(Math.min(props.databasePoolSize(), 8));
        }
        cfg.setConnectionTimeout(10_000);
        return new HikariDataSource(cfg);
    }

    public static void migrate(javax.sql.DataSource ds, Dialect dialect) {
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrationLocations())
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
