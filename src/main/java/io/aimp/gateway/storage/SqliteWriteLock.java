package io.aimp.gateway.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * SQLite: one write transaction at a time, granted in the order asked for. SQLite lets one
 * connection write at a time and makes the others poll (sleep and retry) until its busy timeout, so a
 * write that keeps arriving while another writer holds the lock — the group-commit writer takes it
 * batch after batch — can lose every poll and fail after the timeout. Here writers queue in the JVM
 * instead, first come first served, and SQLite's lock is free whenever one is granted.
 *
 * <p>Every connection of the {@link #wrap wrapped} data source takes it by itself:
 * <ul>
 *   <li>when a transaction begins ({@code setAutoCommit(false)}; on SQLite every transaction is
 *       {@code BEGIN IMMEDIATE}, a write transaction), until it ends ({@code setAutoCommit(true)}) or
 *       the connection is closed (returned to the pool);
 *   <li>in auto-commit, before its first statement that may write (anything but {@code select},
 *       {@code values}, {@code explain}, {@code pragma} and a {@code with} that neither inserts,
 *       updates nor deletes), until the connection is closed.
 * </ul>
 * Reads in auto-commit never take it: WAL readers do not wait for the writer. Statements run on the
 * physical connection (the prepared statements {@link Database} keeps) bypass the wrapper, so their
 * caller calls {@link #beforeWrite} first.
 *
 * <p>It is reentrant: a thread that holds it (a transaction, or a connection that wrote) gets it again
 * at once on another connection. Waiting is bounded like SQLite's busy timeout: a write still waiting
 * after {@link #DEFAULT_WAIT} fails with SQLite's own busy error code, so a holder that never finishes
 * fails the others as SQLite would have, and a cycle with another lock cannot hang forever. A thread
 * that holds it must not wait for another writer: {@link GroupCommit#commit} refuses to.
 */
final class SqliteWriteLock {

    /** As long as SQLite's busy timeout on the pool's connections ({@link DataSources}). */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final int SQLITE_BUSY = 5;
    private static final Pattern WRITING_WITH = Pattern.compile("\\b(insert|update|delete|replace)\\b");

    private final Semaphore permit = new Semaphore(1, true);
    private final Duration wait;
    /** The thread the permit was granted to and how many times it took it; guarded by {@code this}. */
    private Thread owner;
    private int holds;

    SqliteWriteLock() {
        this(DEFAULT_WAIT);
    }

    SqliteWriteLock(Duration wait) {
        this.wait = wait;
    }

    /**
     * Takes the lock, waiting behind the threads that asked before; interrupts are kept for the
     * caller (a run being cancelled still writes its final state).
     *
     * @throws SQLException with SQLite's busy code when it is not granted within the wait
     */
    void acquire() throws SQLException {
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (owner == me) {
                holds++;
                return;
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (permit.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // queues again, for what is left of the wait
                    continue;
                }
                throw new SQLException("[SQLITE_BUSY] the database is locked: no turn to write within "
                        + wait.toMillis() + " ms (the writes before this one held it that long)", null, SQLITE_BUSY);
            }
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
        synchronized (this) {
            owner = me;
            holds = 1;
        }
    }

    /** Gives one hold back; the last one lets the next writer in. Any thread may (a connection closed elsewhere). */
    void release() {
        synchronized (this) {
            if (holds == 0) {
                throw new IllegalStateException("SQLite write lock released more often than taken");
            }
            if (--holds > 0) {
                return;
            }
            owner = null;
        }
        permit.release();
    }

    synchronized boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** Threads waiting for their turn. */
    int queueLength() {
        return permit.getQueueLength();
    }

    /** A data source whose connections take this lock before they write (see the class comment). */
    DataSource wrap(DataSource pool) {
        return new DelegatingDataSource(pool) {
            @Override
            public Connection getConnection() throws SQLException {
                return guard(obtainTargetDataSource().getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return guard(obtainTargetDataSource().getConnection(username, password));
            }
        };
    }

    private Connection guard(Connection target) {
        return (Connection) Proxy.newProxyInstance(SqliteWriteLock.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Guard(target));
    }

    /**
     * Before a statement that writes runs on {@code connection} (a connection of the wrapped data
     * source) outside the wrapper, e.g. on its physical connection: takes the lock unless it holds it.
     */
    static void beforeWrite(Connection connection) throws SQLException {
        if (Proxy.isProxyClass(connection.getClass()) && Proxy.getInvocationHandler(connection) instanceof Guard g) {
            g.beforeWrite();
        }
    }

    /** Whether {@code sql} may write, by its first keyword; in doubt it may. */
    static boolean writes(String sql) {
        String s = stripLeading(sql).toLowerCase(Locale.ROOT);
        if (s.startsWith("select") || s.startsWith("values") || s.startsWith("explain") || s.startsWith("pragma")) {
            return false;
        }
        if (s.startsWith("with")) {
            return WRITING_WITH.matcher(s).find();
        }
        return true;
    }

    /** Without leading blanks, parentheses and comments. */
    private static String stripLeading(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One borrowed connection: whether it holds the lock. Used by one thread at a time, as JDBC connections are. */
    private final class Guard implements InvocationHandler {
        private final Connection target;
        private boolean held;

        Guard(Connection target) {
            this.target = target;
        }

        void beforeWrite() throws SQLException {
            if (!held) {
                acquire();
                held = true;
            }
        }

        private void releaseIfHeld() {
            if (held) {
                held = false;
                release();
            }
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "setAutoCommit" -> {
                    boolean autoCommit = (Boolean) args[0];
                    if (autoCommit) {
                        try {
                            target.setAutoCommit(true); // commits what is open
                        } finally {
                            releaseIfHeld();
                        }
                        return null;
                    }
                    boolean taken = !held;
                    beforeWrite();
                    try {
                        target.setAutoCommit(false);
                    } catch (SQLException | RuntimeException e) {
                        if (taken) {
                            releaseIfHeld();
                        }
                        throw e;
                    }
                    return null;
                }
                case "close" -> {
                    try {
                        target.close(); // rolls back what is still open
                    } finally {
                        releaseIfHeld();
                    }
                    return null;
                }
                case "prepareStatement", "prepareCall" -> {
                    Object statement = call(target, method, args);
                    return statement(method.getReturnType(), statement, proxy, writes((String) args[0]));
                }
                case "createStatement" -> {
                    return statement(method.getReturnType(), call(target, method, args), proxy, null);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "write-locked " + target;
                }
                default -> {
                    return call(target, method, args);
                }
            }
        }

        /** {@code preparedWrites}: whether the prepared SQL writes; null for a plain statement (SQL with each call). */
        private Object statement(Class<?> type, Object statement, Object connection, Boolean preparedWrites) {
            return Proxy.newProxyInstance(SqliteWriteLock.class.getClassLoader(), new Class<?>[] {type},
                    (p, m, a) -> {
                        String name = m.getName();
                        if (name.startsWith("execute") && !held && target.getAutoCommit()) {
                            boolean writing = a != null && a.length > 0 && a[0] instanceof String sql
                                    ? writes(sql)
                                    : preparedWrites == null || preparedWrites; // a plain statement's batch may write
                            if (writing) {
                                beforeWrite();
                            }
                        }
                        return switch (name) {
                            case "getConnection" -> connection;
                            case "equals" -> p == a[0];
                            case "hashCode" -> System.identityHashCode(p);
                            default -> call(statement, m, a);
                        };
                    });
        }
    }
}
