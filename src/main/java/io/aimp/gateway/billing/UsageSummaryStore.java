package io.aimp.gateway.billing;

import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.storage.Database;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Repository;

/** Sums over the usage log (one row per run and per refused request) for the usage summary. */
@Repository
class UsageSummaryStore {

    enum GroupBy {
        MODEL("model_slug"), DAY("(created_at / 86400000) * 86400000"), KEY("key_prefix");

        private final String expression;

        GroupBy(String expression) {
            this.expression = expression;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static GroupBy parse(String value) {
            if (value == null) {
                return MODEL;
            }
            for (GroupBy g : values()) {
                if (g.wireName().equals(value)) {
                    return g;
                }
            }
            throw GatewayException.invalidField("invalid_parameter", "group_by", "group_by must be one of model, day, key");
        }
    }

    record Row(String group, long runs, long succeeded, long failed, long blocked, long inputTokens, long outputTokens,
               long units, long costMicros) {
    }

    private final Database db;

    UsageSummaryStore(Database db) {
        this.db = db;
    }

    /** @param models a key's model allowlist (slugs or ids), {@code null} for every model */
    List<Row> summary(String workspaceId, java.util.Set<String> models, long from, long to, GroupBy groupBy) {
        // the group expression comes from the enum above, never from the request
        String g = groupBy.expression;
        List<Object> args = new java.util.ArrayList<>(List.of(workspaceId, from, to));
        String allowlist = io.aimp.gateway.storage.Filter.eitherIn("model_slug", "model_id", models, args);
        return db.jdbc().sql("select " + g + " as g, count(run_id), "
                        + "sum(case when status = 'succeeded' then 1 else 0 end), "
                        + "sum(case when status = 'failed' then 1 else 0 end), "
                        + "sum(case when status = 'blocked' then 1 else 0 end), "
                        + "sum(input_tokens), sum(output_tokens), sum(units), sum(cost_micros) "
                        + "from usage_records where workspace_id = ? and created_at >= ? and created_at < ?" + allowlist
                        + " group by " + g + " order by 1")
                .params(args)
                .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)))
                .list();
    }
}
