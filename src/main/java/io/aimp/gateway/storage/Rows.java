package io.aimp.gateway.storage;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Column reads that behave the same on SQLite and PostgreSQL. */
public final class Rows {

    private Rows() {
    }

    public static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
