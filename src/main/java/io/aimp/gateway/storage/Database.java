package io.aimp.gateway.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database as the stores see it: a {@link JdbcClient}, its dialect and transactions.
 * On SQLite every transaction begins with {@code BEGIN IMMEDIATE} (set on the connection), so a
 * transaction that reads before it writes never fails to upgrade its lock. Constraint violations are
 * translated alike on both dialects ({@link org.springframework.dao.DuplicateKeyException} for a
 * unique clash).
 *
 * <p>On SQLite every write — a transaction, or a statement that writes in auto-commit — first takes
 * the database's {@link SqliteWriteLock fair write lock}, through the connections of
 * {@link #dataSource()}: writers queue in the order they came instead of polling SQLite's lock, where
 * one can lose every poll to the group-commit writer until its busy timeout. Reads do not take it.
 * PostgreSQL's data source is used as given.
 *
 * <p>{@link #update} and {@link #updateReturningLong} are for the statements every run commits: on
 * SQLite they reuse one prepared statement per SQL text and connection (preparing — parse and plan —
 * costs more than executing these inserts); PostgreSQL's driver caches server-side statements itself.
 *
 * <p>{@link #updateInBatch} is for the writes of a run that nothing in the same unit of work reads
 * back (the run, usage and log rows, the money moves). Inside a {@link #inBatchedTransaction batched
 * transaction} on PostgreSQL they are queued and sent just before the commit, as one JDBC batch per
 * SQL text: one round trip for all of a group commit's usage rows instead of one per row. Elsewhere
 * (SQLite, where a statement costs no round trip, or outside a batched transaction) they run at once.
 */
public final class Database {

    private final DataSource dataSource;
    private final Dialect dialect;
    /** SQLite: taken by every write on {@link #dataSource}; null on PostgreSQL. */
    private final SqliteWriteLock writeLock;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final SQLExceptionTranslator translator;
    private final JdbcTemplate template;
    /** The statements queued by {@link #updateInBatch} in this thread's batched transaction, if any. */
    private final ThreadLocal<Queued> queued = new ThreadLocal<>();
    /** SQLite only: per physical connection, its prepared statements by SQL text. */
    private final Map<Connection, Map<String, PreparedStatement>> statements = new ConcurrentHashMap<>();

    public Database(DataSource dataSource, Dialect dialect) {
        this(dataSource, dialect, dialect == Dialect.SQLITE ? new SqliteWriteLock() : null);
    }

    /** {@code writeLock}: on SQLite, the lock its writes take (null: none, SQLite's busy polling alone). */
    Database(DataSource pool, Dialect dialect, SqliteWriteLock writeLock) {
        this.writeLock = dialect == Dialect.SQLITE ? writeLock : null;
        this.dataSource = this.writeLock == null ? pool : this.writeLock.wrap(pool);
        this.dialect = dialect;
        JdbcTemplate template = new JdbcTemplate(this.dataSource);
        if (dialect == Dialect.SQLITE) {
            template.setExceptionTranslator(new SqliteExceptionTranslator(template.getExceptionTranslator()));
        }
        this.template = template;
        this.translator = template.getExceptionTranslator();
        this.jdbc = JdbcClient.create(template);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The connections of the stores: on SQLite they take the write lock before they write (see above). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether this thread holds SQLite's write lock: in a transaction, or a connection that wrote is still open. */
    boolean holdsWriteLock() {
        return writeLock != null && writeLock.isHeldByCurrentThread();
    }

    /** SQLite: the write lock, for tests; null on PostgreSQL. */
    SqliteWriteLock writeLock() {
        return writeLock;
    }

    /** Runs {@code work} in one transaction and returns its result. */
    public <T> T inTransaction(java.util.function.Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    public void inTransaction(Runnable work) {
        tx.executeWithoutResult(status -> work.run());
    }

    /**
     * Runs {@code work} in one transaction in which {@link #updateInBatch} queues its statements (on
     * PostgreSQL) and sends them, batched by SQL text, before the commit. A statement that fails, or
     * changes a number of rows its check refuses, fails the transaction.
     */
    public void inBatchedTransaction(Runnable work) {
        if (dialect == Dialect.SQLITE || queued.get() != null) {
            inTransaction(work);
            return;
        }
        Queued q = new Queued();
        queued.set(q);
        try {
            inTransaction(() -> {
                work.run();
                q.flush();
            });
        } finally {
            queued.remove();
        }
    }

    /**
     * Runs an insert, update or delete whose effect nothing in the same unit of work reads before the
     * commit; {@code changed} gets the number of rows it changed (and may throw to fail the
     * transaction). In a {@link #inBatchedTransaction batched transaction} on PostgreSQL it is queued
     * and sent with the others of its SQL text just before the commit; otherwise it runs now.
     */
    public void updateInBatch(String sql, Object[] params, java.util.function.IntConsumer changed) {
        Queued q = queued.get();
        if (q == null) {
            changed.accept(update(sql, params));
            return;
        }
        q.add(sql, params, changed);
    }

    /** Fails unless exactly one row changed: the check of an insert, or of a conditional update that must apply. */
    public static java.util.function.IntConsumer exactlyOne(String what) {
        return n -> {
            if (n != 1) {
                throw new IllegalStateException(what + ": " + n + " rows changed, 1 expected");
            }
        };
    }

    /** A batched transaction's queued statements, by SQL text in the order first queued. */
    private final class Queued {
        private final Map<String, List<Object[]>> params = new java.util.LinkedHashMap<>();
        private final Map<String, List<java.util.function.IntConsumer>> checks = new HashMap<>();

        void add(String sql, Object[] values, java.util.function.IntConsumer changed) {
            params.computeIfAbsent(sql, k -> new ArrayList<>()).add(values);
            checks.computeIfAbsent(sql, k -> new ArrayList<>()).add(changed);
        }

        void flush() {
            for (Map.Entry<String, List<Object[]>> e : params.entrySet()) {
                List<Object[]> rows = e.getValue();
                List<java.util.function.IntConsumer> sinks = checks.get(e.getKey());
                if (rows.size() == 1) {
                    sinks.getFirst().accept(update(e.getKey(), rows.getFirst()));
                    continue;
                }
                int[] counts = template.batchUpdate(e.getKey(), rows);
                for (int i = 0; i < counts.length; i++) {
                    sinks.get(i).accept(counts[i]);
                }
            }
            params.clear();
            checks.clear();
        }
    }

    /** Runs an insert, update or delete in the current transaction (or on its own); returns the rows changed. */
    public int update(String sql, Object... params) {
        if (dialect != Dialect.SQLITE) {
            return jdbc.sql(sql).params(params).update();
        }
        return withCached(sql, params, PreparedStatement::executeUpdate);
    }

    /**
     * Runs an update with a {@code returning} clause of one number and gives that number from the
     * changed row, or empty when no row changed.
     */
    public Optional<Long> updateReturningLong(String sql, Object... params) {
        if (dialect != Dialect.SQLITE) {
            return jdbc.sql(sql).params(params).query(Long.class).optional();
        }
        return withCached(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                Optional<Long> value = rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                while (rs.next()) {
                    // drain: the statement completes only when its rows are read
                }
                return value;
            }
        });
    }

    private interface StatementWork<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T withCached(String sql, Object[] params, StatementWork<T> work) {
        Connection con = DataSourceUtils.getConnection(dataSource);
        PreparedStatement ps = null;
        try {
            if (writeLock != null) {
                // the statement runs on the physical connection, past the wrapper that takes the lock
                SqliteWriteLock.beforeWrite(con);
            }
            Connection physical = con.unwrap(Connection.class);
            Map<String, PreparedStatement> cache = statements.get(physical);
            if (cache == null) {
                statements.keySet().removeIf(Database::closed);
                cache = new HashMap<>();
                statements.put(physical, cache);
            }
            ps = cache.get(sql);
            if (ps == null || ps.isClosed()) {
                ps = physical.prepareStatement(sql);
                cache.put(sql, ps);
            }
            new ArgumentPreparedStatementSetter(params).setValues(ps);
            T result = work.run(ps);
            ps.clearParameters();
            return result;
        } catch (SQLException e) {
            if (ps != null) {
                forget(con, sql, ps);
            }
            RuntimeException translated = translator.translate("statement", sql, e);
            throw translated != null ? translated : new IllegalStateException("statement failed", e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }

    /** A statement that failed is closed and prepared afresh next time. */
    private void forget(Connection con, String sql, PreparedStatement ps) {
        try {
            Map<String, PreparedStatement> cache = statements.get(con.unwrap(Connection.class));
            if (cache != null) {
                cache.remove(sql, ps);
            }
            ps.close();
        } catch (SQLException ignored) {
            // it goes with its connection
        }
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
