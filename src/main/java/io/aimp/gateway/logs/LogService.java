package io.aimp.gateway.logs;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.common.Times;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the usage and execution logs. Admins see their whole workspace; developers see what their
 * own user and the keys they created did.
 */
@Service
public class LogService {

    static final int MAX_LIMIT = 200;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private final LogStore store;
    private final Clock clock;
    private final ObjectMapper json;

    LogService(LogStore store, Clock clock, ObjectMapper json) {
        this.store = store;
        this.clock = clock;
        this.json = json;
    }

    public record UsageFilter(String model, String status, String runId, String keyId, Instant from, Instant to,
                              int limit, int offset) {
    }

    public List<Map<String, Object>> usage(Principal caller, UsageFilter f) {
        String ownUser = scope(caller);
        checkPage(f.limit(), f.offset());
        return store.usage(new LogStore.UsageQuery(caller.workspaceId(), f.keyId(), ownUser, caller.models(), f.model(), f.status(),
                        f.runId(), f.from() == null ? null : f.from().toEpochMilli(),
                        f.to() == null ? null : f.to().toEpochMilli(), f.limit(), f.offset()))
                .stream().map(LogService::view).toList();
    }

    public List<Map<String, Object>> executions(Principal caller, String runId) {
        String ownUser = scope(caller);
        if (runId == null || runId.isBlank()) {
            throw GatewayException.invalidField("missing_parameter", "run_id", "query parameter run_id is required");
        }
        if (ownUser != null || caller.models() != null) {
            // the run must be one this caller may read: its own (below admin) and of a model on the key's allowlist
            boolean mine = !store.usage(new LogStore.UsageQuery(caller.workspaceId(), null, ownUser, caller.models(), null, null, runId,
                    null, null, 1, 0)).isEmpty();
            if (!mine) {
                return List.of();
            }
        }
        return store.executions(caller.workspaceId(), runId).stream().map(this::view).toList();
    }

    public Map<String, Object> stats(Principal caller, String interval, String groupBy, Instant from, Instant to) {
        String ownUser = scope(caller);
        long bucket = switch (interval == null ? "hour" : interval) {
            case "hour" -> HOUR;
            case "day" -> DAY;
            default -> throw GatewayException.invalidField("invalid_parameter", "interval", "interval must be hour or day");
        };
        String group = groupBy == null ? "model" : groupBy;
        if (!List.of("model", "status", "key").contains(group)) {
            throw GatewayException.invalidField("invalid_parameter", "group_by", "group_by must be model, status or key");
        }
        long end = to == null ? clock.millis() : to.toEpochMilli();
        long start = from == null ? end - (bucket == HOUR ? DAY : 30 * DAY) : from.toEpochMilli();
        if (start >= end || (end - start) / bucket > 2_000) {
            throw GatewayException.invalidField("invalid_parameter", "from",
                    "from must be before to, and the range may span at most 2000 intervals");
        }
        List<Map<String, Object>> series = store.stats(caller.workspaceId(), ownUser, caller.models(), start, end, bucket, group).stream()
                .map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("bucket_start", Times.instant(r.bucketStart()));
                    m.put(group, r.group());
                    m.put("runs", r.runs());
                    m.put("succeeded", r.succeeded());
                    m.put("failed", r.failed());
                    m.put("input_tokens", r.inputTokens());
                    m.put("output_tokens", r.outputTokens());
                    m.put("units", r.units());
                    m.put("credits", Money.format(r.costMicros()));
                    return m;
                }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("interval", interval == null ? "hour" : interval);
        body.put("group_by", group);
        body.put("from", Times.instant(start));
        body.put("to", Times.instant(end));
        body.put("data", series);
        return body;
    }

    /** Null for admins (whole workspace); the caller's user id for developers. */
    private static String scope(Principal caller) {
        if (caller.can(Permission.VIEW_ALL_LOGS)) {
            return null;
        }
        caller.require(Permission.VIEW_OWN_LOGS);
        return caller.userId();
    }

    static void checkPage(int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
    }

    private static Map<String, Object> view(UsageRecord u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("object", "usage_record");
        m.put("run_id", u.runId());
        m.put("created_at", Times.instant(u.createdAt()));
        m.put("status", u.status());
        m.put("error_code", u.errorCode());
        m.put("model", u.modelSlug());
        m.put("model_id", u.modelId());
        m.put("release", u.releaseVersion());
        m.put("mode", u.mode());
        m.put("kind", u.kind());
        m.put("provider", u.provider());
        m.put("provider_model", u.providerModel());
        m.put("input_tokens", u.inputTokens());
        m.put("output_tokens", u.outputTokens());
        m.put("units", u.units());
        m.put("usage_estimated", u.usageEstimated());
        m.put("credits", Money.format(u.costMicros()));
        m.put("latency_ms", u.latencyMs());
        m.put("principal_type", u.principalType());
        m.put("user_id", u.userId());
        m.put("key_id", u.keyId());
        m.put("key_prefix", u.keyPrefix());
        m.put("request_id", u.requestId());
        m.put("entry_point", u.entryPoint());
        m.put("parent_run_id", u.parentRunId());
        return m;
    }

    private Map<String, Object> view(ExecutionLogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("object", "execution_log");
        m.put("run_id", e.runId());
        m.put("seq", e.seq());
        m.put("step", e.step());
        m.put("name", e.name());
        m.put("provider", e.provider());
        m.put("provider_model", e.providerModel());
        m.put("outcome", e.outcome());
        m.put("failure_class", e.failureClass());
        m.put("http_status", e.httpStatus());
        m.put("latency_ms", e.latencyMs());
        m.put("detail", e.detail() == null ? null : json.readTree(e.detail()));
        m.put("created_at", Times.instant(e.createdAt()));
        return m;
    }
}
