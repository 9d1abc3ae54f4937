package io.aimp.gateway.runs;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import io.aimp.gateway.storage.GroupCommit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The idempotency stage ({@code Idempotency-Key}): the first request with a key claims it (an insert
 * that does nothing on conflict) and its response is stored in the run's commit; the same key with
 * the same body replays that response (keys are scoped to the workspace and the caller: the API key, or
 * the user of a session), with another body answers 422, and while the first is still
 * in flight answers 409 with {@code Retry-After}. A claim belongs to this process and carries a lease:
 * claims of a process that died are deleted on start (SQLite: every claim of another process; PostgreSQL:
 * those whose lease ended) and when a later request meets one whose lease ended.
 */
@Component
@Order(200)
class IdempotencyStage implements RunHook, ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStage.class);
    static final int MAX_KEY = 255;
    private static final String CLAIMED = "idempotency.claimed";

    private final IdempotencyStore store;
    private final GroupCommit commits;
    private final Database db;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;
    private final String owner = Ids.newId("proc");

    IdempotencyStage(IdempotencyStore store, GroupCommit commits, Database db, ObjectMapper json, Clock clock,
                     @Value("${aimp.idempotency.retention:24h}") Duration retention) {
        if (retention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("aimp.idempotency.retention must be at least 24h");
        }
        this.store = store;
        this.commits = commits;
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public String switchProperty() {
        return "aimp.idempotency.enabled";
    }

    @Override
    public void run(ApplicationArguments args) {
        long leaseBefore = db.dialect() == Dialect.SQLITE ? Long.MAX_VALUE : clock.millis();
        int[] n = {0};
        commits.commit(() -> n[0] = store.deleteStaleClaims(owner, leaseBefore));
        if (n[0] > 0) {
            log.warn("released {} idempotency key(s) claimed by requests of a stopped gateway", n[0]);
        }
    }

    /** Deletes keys past their retention and claims whose lease ended. */
    @Scheduled(fixedDelayString = "${aimp.idempotency.cleanup-ms:600000}", initialDelay = 60_000)
    void cleanup() {
        long now = clock.millis();
        commits.commit(() -> {
            store.deleteOlderThan(now - retention.toMillis());
            store.deleteStaleClaims(owner, now);
        });
    }

    @Override
    public Optional<RunService.Replayed> before(RunContext ctx) {
        String key = ctx.idempotencyKey();
        if (key == null) {
            return Optional.empty();
        }
        if (key.isEmpty() || key.length() > MAX_KEY || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw GatewayException.invalidField("invalid_idempotency_key", "Idempotency-Key",
                    "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters, e.g. a UUID");
        }
        String ws = ctx.principal().workspaceId();
        String caller = caller(ctx.principal());
        String hash = sha256(canonical(ctx.request().body()));
        for (int attempt = 0; attempt < 4; attempt++) {
            long now = clock.millis();
            long leaseUntil = now + RunService.runTimeout(ctx).toMillis() + 60_000;
            boolean[] claimed = {false};
            commits.commit(() -> claimed[0] = store.claim(ws, caller, key, hash, owner, leaseUntil, now));
            if (claimed[0]) {
                ctx.attributes().put(CLAIMED, Boolean.TRUE);
                return Optional.empty();
            }
            Optional<IdempotencyStore.Entry> found = store.find(ws, caller, key);
            if (found.isEmpty()) {
                continue; // released meanwhile: claim again
            }
            IdempotencyStore.Entry e = found.get();
            if (!e.bodyHash().equals(hash)) {
                throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "idempotency_key_mismatch",
                                "this Idempotency-Key was first used with a different request body; use a new key for a new request")
                        .status(422).error("Idempotency-Key", "reused with another body").build();
            }
            if (e.state() == IdempotencyStore.State.DONE) {
                return Optional.of(new RunService.Replayed(e.statusCode(), json.readTree(e.response()), e.runId()));
            }
            if (e.leaseUntil() != null && e.leaseUntil() < now) {
                boolean[] deleted = {false};
                commits.commit(() -> deleted[0] = store.deleteExpired(ws, caller, key, now));
                continue;
            }
            break;
        }
        throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "idempotency_key_in_use",
                "a request with this Idempotency-Key is still in flight; retry after it completes to get its response")
                .status(409).retryAfter(1).build();
    }

    @Override
    public void inCommit(RunContext ctx, RunRecord run) {
        if (ctx.attributes().get(CLAIMED) == null) {
            return;
        }
        int status;
        String body;
        if (run.status() == RunStatus.FAILED && run.error() != null) {
            status = run.error().path("status").asInt(500);
            body = json.writeValueAsString(run.error());
        } else {
            status = run.status() == RunStatus.QUEUED ? 202 : 200;
            body = json.writeValueAsString(RunViews.view(run, ctx.release() == null ? null : ctx.release().deprecated()));
        }
        store.complete(ctx.principal().workspaceId(), caller(ctx.principal()), ctx.idempotencyKey(), owner, status, body, run.id());
    }

    @Override
    public void onAbort(RunContext ctx, RuntimeException cause) {
        if (ctx.attributes().remove(CLAIMED) != null) {
            // nothing ran (or nothing committed): free the key so a retry executes exactly once
            commits.commit(() -> store.release(ctx.principal().workspaceId(), caller(ctx.principal()), ctx.idempotencyKey(), owner));
        }
    }

    /** Whose key it is: the API key's id, or the user's id for a session (ids carry their kind's prefix). */
    static String caller(io.aimp.gateway.auth.Principal principal) {
        return principal.keyId() != null ? principal.keyId() : principal.userId();
    }

    /** The body with object members sorted by name, so key order and whitespace do not matter. */
    static String canonical(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>(n.propertyNames());
            names.sort(null);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(names.get(i)).toString()).append(':');
                write(n.get(names.get(i)), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isNumber()) {
            sb.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            sb.append(n.toString());
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
