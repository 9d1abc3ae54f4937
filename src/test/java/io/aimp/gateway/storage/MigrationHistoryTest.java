package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.billing.PgTestSchemas;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The migrations a database has already applied never change: Flyway validates each one's version,
 * description, script name and checksum at start-up, so an edited or renamed migration stops every
 * existing gateway. New migrations are added below these, never in their place.
 */
class MigrationHistoryTest {

    /** Shared by both dialects (db/migration/common). */
    private static final List<String> COMMON = List.of(
            "1|accounts|V1__accounts.sql|-1725057821",
            "2|runs and logs|V2__runs_and_logs.sql|1758258724",
            "3|billing limits idempotency|V3__billing_limits_idempotency.sql|-853880251",
            "20|media|V20__media.sql|-221383984",
            "40|jobs|V40__jobs.sql|1682207091",
            "50|conversations|V50__conversations.sql|762767191",
            "61|run not before|V61__run_not_before.sql|1339623865",
            "66|mcp sessions|V66__mcp_sessions.sql|894483437",
            "67|vector changes|V67__vector_changes.sql|-1247865649",
            "70|content|V70__content.sql|-1180998815",
            "75|image limits|V75__image_limits.sql|464712384",
            "80|playground release results|V80__playground_release_results.sql|-234896873",
            "85|webhooks|V85__webhooks.sql|633933299",
            "90|content featured image|V90__content_featured_image.sql|323813632",
            "110|runs open index|V110__runs_open_index.sql|-1245861138",
            "120|playground settings|V120__playground_settings.sql|852347821");

    private static final List<String> SQLITE = List.of(
            "30|vectors|V30__vectors.sql|486290053",
            "65|invitations and idempotency callers|V65__invitations_and_idempotency_callers.sql|-1563417748");

    private static final List<String> POSTGRESQL = List.of(
            "30|vectors|V30__vectors.sql|-1600983687",
            "65|invitations and idempotency callers|V65__invitations_and_idempotency_callers.sql|1129515311");

    @Test
    void should_apply_the_sqlite_migrations_with_unchanged_checksums() throws Exception {
        assertThat(history(new StorageProperties(Files.createTempDirectory("aimp-migrations"), null, null, null, 4,
                "NORMAL"))).isEqualTo(inOrder(SQLITE));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = PgTestSchemas.ENV, matches = ".+")
    void should_apply_the_postgresql_migrations_with_unchanged_checksums() throws Exception {
        assertThat(history(new StorageProperties(Files.createTempDirectory("aimp-migrations"),
                PgTestSchemas.freshSchemaUrl(), null, null, 4, "FULL"))).isEqualTo(inOrder(POSTGRESQL));
    }

    /** The common migrations and the dialect's own, by version. */
    private static List<String> inOrder(List<String> dialect) {
        return Stream.concat(COMMON.stream(), dialect.stream())
                .sorted(Comparator.comparingInt(row -> Integer.parseInt(row.substring(0, row.indexOf('|'))))).toList();
    }

    private static List<String> history(StorageProperties props) {
        try (HikariDataSource ds = DataSources.create(props)) {
            DataSources.migrate(ds, props.dialect());
            return JdbcClient.create(ds).sql("select version, description, script, checksum from flyway_schema_history "
                            + "where success = true order by installed_rank")
                    .query((rs, n) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4))
                    .list();
        }
    }
}
