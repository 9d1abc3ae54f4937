package io.aimp.gateway.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A listing query with optional filters: each condition is added only when its value is present,
 * always as a bind parameter (column names come from code, never from requests).
 */
public final class Filter {

    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    /** {@code select} up to and including the first condition, e.g. {@code ... where workspace_id = ?}. */
    public Filter(String select, Object firstArg) {
        this.sql = new StringBuilder(select);
        args.add(firstArg);
    }

    public Filter eq(String column, Object value) {
        return when(value, column + " = ?");
    }

    /**
     * {@code (a in (...) or b in (...))} when {@code values} is present: a model allowlist matches a
     * row by its slug or its id. An empty set matches nothing.
     */
    public Filter eitherIn(String a, String b, Collection<String> values) {
        sql.append(eitherIn(a, b, values, args));
        return this;
    }

    /** The condition of {@link #eitherIn(String, String, Collection)} for hand-built SQL, its values added to {@code args}. */
    public static String eitherIn(String a, String b, Collection<String> values, List<Object> args) {
        if (values == null) {
            return "";
        }
        if (values.isEmpty()) {
            return " and 1 = 0";
        }
        String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
        args.addAll(values);
        args.addAll(values);
        return " and (" + a + " in (" + marks + ") or " + b + " in (" + marks + "))";
    }

    /** {@code column >= value} when the value is present. */
    public Filter from(String column, Long value) {
        return when(value, column + " >= ?");
    }

    /** {@code column < value} when the value is present. */
    public Filter until(String column, Long value) {
        return when(value, column + " < ?");
    }

    private Filter when(Object value, String condition) {
        if (value != null) {
            sql.append(" and ").append(condition);
            args.add(value);
        }
        return this;
    }

    /** Newest first by {@code created_at, id}, one page. */
    public Filter newestFirst(int limit, int offset) {
        sql.append(" order by created_at desc, id desc limit ? offset ?");
        args.add(limit);
        args.add(offset);
        return this;
    }

    public String sql() {
        return sql.toString();
    }

    public List<Object> args() {
        return args;
    }
}
