package io.aimp.gateway.storage;

import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database as the stores see it: a {@link JdbcClient}, its dialect and transactions.
 * On SQLite every transaction begins with {@code BEGIN IMMEDIATE} (set on the connection), so a
 * transaction that reads before it writes never fails to upgrade its lock. Constraint violations are
 * translated alike on both dialects ({@link org.springframework.dao.DuplicateKeyException} for a
 * unique clash).
 */
public final class Database {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public Database(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        JdbcTemplate template = new JdbcTemplate(dataSource);
        if (dialect == Dialect.SQLITE) {
            template.setExceptionTranslator(new SqliteExceptionTranslator(template.getExceptionTranslator()));
        }
        this.jdbc = JdbcClient.create(template);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction and returns its result. */
    public <T> T inTransaction(java.util.function.Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    public void inTransaction(Runnable work) {
        tx.executeWithoutResult(status -> work.run());
    }
}
