package io.aimp.gateway.idempotency;

import io.aimp.gateway.auth.Principal;
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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code Idempotency-Key} for every request that creates something or moves money (runs, jobs, top-ups):
 * the first request with a key claims it (an insert that does nothing on conflict) and its response is
 * stored in the commit that writes what it created; the same key with the same body replays that
 * response (keys are scoped to the workspace, the caller — the API key, or the user of a session — and
 * the route), with another body answers 422, and while the first is still in flight answers 409 with
 * {@code Retry-After}. A claim belongs to this process and carries a lease: claims of a process that died
 * are deleted on start (SQLite: every claim of another process; PostgreSQL: those whose lease ended) and
 * when a later request meets one whose lease ended.
 */
@Component
public class IdempotencyKeys implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final int MAX_KEY = 255;

    /** A stored response of an earlier request with the same key. */
    public record Replay(int status, JsonNode body, String resourceId) {
    }

    /**
     * The outcome of {@link #claim}: a replay, or a claim to complete inside the commit that writes what
     * the request created (or to release when the request ends without writing anything).
     */
    public final class Claim {
        private final String workspaceId;
        private final String caller;
        private final String key;
        private final Replay replay;

        private Claim(String workspaceId, String caller, String key, Replay replay) {
            this.workspaceId = workspaceId;
            this.caller = caller;
            this.key = key;
            this.replay = replay;
        }

        /** The earlier response to send again, when the same request was already answered. */
        public Optional<Replay> replay() {
            return Optional.ofNullable(replay);
        }

        /** Whether this request holds the key (and must complete or release it). */
        public boolean held() {
            return key != null && replay == null;
        }

        /** Stores the response; call inside the transaction that writes what the request created. */
        public void complete(int status, Object body, String resourceId) {
            if (held()) {
                store.complete(workspaceId, caller, key, owner, status, json.writeValueAsString(body), resourceId);
            }
        }

        /** Frees the key when nothing was written, so a retry executes exactly once. */
        public void release() {
            if (held()) {
                commits.commit(() -> store.release(workspaceId, caller, key, owner));
            }
        }
    }

    private final Claim none = new Claim(null, null, null, null);
    private final IdempotencyStore store;
    private final GroupCommit commits;
    private final Database db;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;
    private final boolean enabled;
    private final long claimMarginMillis;
    private final String owner = Ids.newId("proc");

    IdempotencyKeys(IdempotencyStore store, GroupCommit commits, Database db, ObjectMapper json, Clock clock,
                    @Value("${aimp.idempotency.retention:24h}") Duration retention,
                    @Value("${aimp.idempotency.enabled:true}") boolean enabled,
                    @Value("${aimp.idempotency.claim-margin:60s}") Duration claimMargin) {
        if (retention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("aimp.idempotency.retention must be at least 24h");
        }
        if (claimMargin.compareTo(Duration.ofSeconds(1)) < 0 || claimMargin.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("aimp.idempotency.claim-margin must be from 1s to 1h");
        }
        this.claimMarginMillis = claimMargin.toMillis();
        this.store = store;
        this.commits = commits;
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
        this.enabled = enabled;
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

    /**
     * Claims {@code key} for this request, or finds the earlier response to replay.
     *
     * @param scope the route's name ({@code null} for runs): the same key on another route is another key
     * @param lease how long the request may take at most; a claim older than that is taken as abandoned
     * @throws GatewayException 400 for a malformed key, 422 when the key was used with another body,
     *                          409 while the first request with the key is in flight
     */
    public Claim claim(String scope, Principal principal, String key, JsonNode body, Duration lease) {
        if (key == null || !enabled) {
            return none;
        }
        if (key.isEmpty() || key.length() > MAX_KEY || key.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw GatewayException.invalidField("invalid_idempotency_key", "Idempotency-Key",
                    "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters, e.g. a UUID");
        }
        String scoped = scope == null ? key : scope + " " + key;
        String ws = principal.workspaceId();
        String caller = caller(principal);
        String hash = sha256(canonical(body));
        for (int attempt = 0; attempt < 4; attempt++) {
            long now = clock.millis();
            long leaseUntil = now + lease.toMillis() + claimMarginMillis;
            boolean[] claimed = {false};
            commits.commit(() -> claimed[0] = store.claim(ws, caller, scoped, hash, owner, leaseUntil, now));
            if (claimed[0]) {
                return new Claim(ws, caller, scoped, null);
            }
            Optional<IdempotencyStore.Entry> found = store.find(ws, caller, scoped);
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
                return new Claim(ws, caller, scoped, new Replay(e.statusCode(), json.readTree(e.response()), e.runId()));
            }
            if (e.leaseUntil() != null && e.leaseUntil() < now) {
                commits.commit(() -> store.deleteExpired(ws, caller, scoped, now));
                continue;
            }
            break;
        }
        throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "idempotency_key_in_use",
                "a request with this Idempotency-Key is still in flight; retry after it completes to get its response")
                .status(409).retryAfter(1).build();
    }

    /** Whose key it is: the API key's id, or the user's id for a session (ids carry their kind's prefix). */
    static String caller(Principal principal) {
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
