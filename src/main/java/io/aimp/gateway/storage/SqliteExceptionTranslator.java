package io.aimp.gateway.storage;

import java.sql.SQLException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * SQLite reports no SQL state, so Spring cannot classify its errors and every constraint violation
 * would surface as an uncategorized exception. This maps SQLite's result codes to the exceptions
 * PostgreSQL produces, so a store behaves the same on both: a unique or primary key clash is a
 * {@link DuplicateKeyException}, any other constraint a {@link DataIntegrityViolationException}.
 */
final class SqliteExceptionTranslator implements SQLExceptionTranslator {

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CONSTRAINT = 19;

    private final SQLExceptionTranslator fallback;

    SqliteExceptionTranslator(SQLExceptionTranslator fallback) {
        this.fallback = fallback;
    }

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        String message = task + "; SQL [" + sql + "]; " + ex.getMessage();
        String detail = ex.getMessage() == null ? "" : ex.getMessage();
        return switch (ex.getErrorCode()) {
            case SQLITE_CONSTRAINT -> detail.contains("SQLITE_CONSTRAINT_UNIQUE") || detail.contains("SQLITE_CONSTRAINT_PRIMARYKEY")
                    ? new DuplicateKeyException(message, ex)
                    : new DataIntegrityViolationException(message, ex);
            case SQLITE_BUSY, SQLITE_LOCKED -> new CannotAcquireLockException(message, ex);
            default -> fallback.translate(task, sql, ex);
        };
    }
}
