package io.aimp.gateway.billing;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.billing.WalletStore.LedgerEntry;
import io.aimp.gateway.billing.WalletStore.Wallet;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.common.Times;
import io.aimp.gateway.idempotency.IdempotencyKeys;
import io.aimp.gateway.storage.GroupCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Wallets in micro-credits. A run reserves its worst case before it executes ({@link #reserve}); its
 * completion transaction settles the actual cost of the work it consumed, whatever its end state, and
 * gives the rest back ({@link #settleInTransaction}); a run refused before it executed gives everything
 * back ({@link #release}).
 *
 * <p>Where the reservation lives depends on the deployment (DESIGN §8). Across nodes (PostgreSQL) it
 * is a conditional update plus a hold row with a lease, so a crash strands nothing a sweep cannot
 * release. On one node (SQLite) only this process writes the wallet, so it is an atomic in-memory
 * hold against the committed balance: no commit before the provider call, and a crash simply drops
 * the holds (nothing was charged). Either way the debit is a conditional update that commits with the
 * run's final state, usage record and ledger entry; the in-memory books follow only after that commit
 * ({@link #afterCommit}).
 */
@Service
public class BillingService implements MeterBinder {

    static final int MAX_REASON = 200;
    static final int MAX_PAGE = 200;
    /** A top-up commits within this; a claim older than it (plus a minute) was left by a process that died. */
    private static final java.time.Duration TOP_UP_LEASE = java.time.Duration.ofSeconds(30);

    private final WalletStore wallets;
    private final UsageSummaryStore usage;
    private final GroupCommit commits;
    private final BillingProperties props;
    private final Clock clock;
    private final IdempotencyKeys idempotency;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final long startedAt;
    private final boolean memoryHolds;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** One wallet as this process knows it: the committed balance and what running runs hold of it. */
    private static final class Account {
        private long balance;
        private long held;

        Account(long balance) {
            this.balance = balance;
        }
    }

    BillingService(WalletStore wallets, UsageSummaryStore usage, GroupCommit commits, BillingProperties props, Clock clock,
                   io.aimp.gateway.storage.Database db, IdempotencyKeys idempotency) {
        this.idempotency = idempotency;
        this.wallets = wallets;
        this.usage = usage;
        this.commits = commits;
        this.props = props;
        this.clock = clock;
        this.startedAt = clock.millis();
        this.memoryHolds = db.dialect() == io.aimp.gateway.storage.Dialect.SQLITE;
    }

    /** Credits reserved for runs and charged to wallets; no-ops until bound to a registry. */
    private volatile Counter reservedMicros = Counter.builder("aimp.credits.reserved").register(new CompositeMeterRegistry());
    private volatile Counter chargedMicros = Counter.builder("aimp.credits.charged").register(new CompositeMeterRegistry());

    @Override
    public void bindTo(MeterRegistry registry) {
        reservedMicros = Counter.builder("aimp.credits.reserved").baseUnit("microcredits")
                .description("credits reserved for runs before they execute (holds and their extensions)").register(registry);
        chargedMicros = Counter.builder("aimp.credits.charged").baseUnit("microcredits")
                .description("credits debited from wallets for runs, after their completion committed").register(registry);
    }

    /** When this process's billing started: holds made earlier belong to an earlier process. */
    long startedAt() {
        return startedAt;
    }

    /** A reservation held by a run, to settle or release in its completion transaction. */
    public record Reservation(String runId, String workspaceId, long amount) {
    }

    /**
     * Reserves {@code amount} for a run.
     *
     * @throws GatewayException 402 {@code insufficient_funds} (category {@code limit}) when the
     *                          available balance does not cover it; nothing is reserved then
     */
    public Reservation reserve(String runId, String workspaceId, long amount, long leaseUntil) {
        ensureWallet(workspaceId);
        if (memoryHolds) {
            Account a = account(workspaceId);
            synchronized (a) {
                if (a.balance - a.held < amount) {
                    throw insufficientFunds(amount);
                }
                a.held += amount;
            }
            reservedMicros.increment(amount);
            return new Reservation(runId, workspaceId, amount);
        }
        boolean[] ok = {false};
        commits.commit(() -> wallets.reserveInBatch(runId, workspaceId, amount, leaseUntil, clock.millis(), r -> ok[0] = r));
        if (!ok[0]) {
            throw insufficientFunds(amount);
        }
        reservedMicros.increment(amount);
        return new Reservation(runId, workspaceId, amount);
    }

    /**
     * Adds {@code extra} to a run's hold (a multi-step run before its next provider call) with the same
     * conditional update as {@link #reserve}. Empty, with nothing changed, when the available balance
     * does not cover it.
     */
    public java.util.Optional<Reservation> extend(Reservation r, long extra, long leaseUntil) {
        if (extra <= 0) {
            return java.util.Optional.of(r);
        }
        Reservation bigger = new Reservation(r.runId(), r.workspaceId(), Math.addExact(r.amount(), extra));
        if (memoryHolds) {
            Account a = account(r.workspaceId());
            synchronized (a) {
                if (a.balance - a.held < extra) {
                    return java.util.Optional.empty();
                }
                a.held += extra;
            }
            reservedMicros.increment(extra);
            return java.util.Optional.of(bigger);
        }
        boolean[] ok = {false};
        commits.commit(() -> ok[0] = wallets.extend(r.runId(), r.workspaceId(), extra, leaseUntil, clock.millis()));
        if (ok[0]) {
            reservedMicros.increment(extra);
        }
        return ok[0] ? java.util.Optional.of(bigger) : java.util.Optional.empty();
    }

    public static GatewayException insufficientFunds(long needed) {
        return GatewayException.of(ErrorCategory.LIMIT, "insufficient_funds",
                        "the wallet's available balance does not cover this run's maximum cost of " + Money.format(needed)
                                + " credits; add credits (POST /api/billing/wallet/credits) and retry")
                .status(402).with("required", Money.format(needed)).build();
    }

    /**
     * Inside the run's completion transaction, whatever the run's end state: debits {@code charge}, the
     * actual cost of the provider work the run consumed (never more than the hold, which bounded every
     * call), gives the rest back and writes the ledger entry.
     */
    public long settleInTransaction(Reservation r, long charge, String userId) {
        long debit = Math.min(charge, r.amount());
        wallets.charge(r.runId(), r.workspaceId(), r.amount(), debit, Ids.newId("led"), userId, clock.millis());
        return debit;
    }

    /** Gives the whole reservation back in its own (batched) transaction. */
    public void release(Reservation r) {
        if (memoryHolds) {
            afterCommit(r, 0);
            return;
        }
        commits.commit(() -> wallets.release(r.runId(), r.workspaceId(), r.amount()));
    }

    /**
     * After the run's completion committed: the in-memory books follow what the database now says
     * ({@code debited} charged, the hold given back). Nothing to do when holds live in the database.
     */
    public void afterCommit(Reservation r, long debited) {
        if (debited > 0) {
            chargedMicros.increment(debited);
        }
        if (!memoryHolds) {
            return;
        }
        Account a = account(r.workspaceId());
        synchronized (a) {
            a.balance -= debited;
            a.held -= r.amount();
        }
    }

    /** What running runs hold of a wallet in this process's memory (0 where holds are rows). */
    private long heldInMemory(String workspaceId) {
        Account a = memoryHolds ? accounts.get(workspaceId) : null;
        if (a == null) {
            return 0;
        }
        synchronized (a) {
            return a.held;
        }
    }

    private Account account(String workspaceId) {
        return accounts.computeIfAbsent(workspaceId,
                ws -> new Account(wallets.find(ws).map(Wallet::balance).orElse(0L)));
    }

    /** A committed credit (top-up or grant) reaches the in-memory books. */
    void credited(String workspaceId, long amount) {
        Account a = memoryHolds ? accounts.get(workspaceId) : null;
        if (a != null) {
            synchronized (a) {
                a.balance += amount;
            }
        }
    }

    /**
     * Releases the holds of processes that died: those whose lease ended before {@code leaseBefore},
     * and those made before {@code createdBefore} (on one node: before this process started).
     */
    public int releaseStrandedHolds(long leaseBefore, long createdBefore) {
        int[] count = {0};
        for (WalletStore.Hold h : wallets.strandedHolds(leaseBefore, createdBefore)) {
            commits.commit(() -> {
                if (wallets.release(h.runId(), h.workspaceId(), h.amount())) {
                    count[0]++;
                }
            });
        }
        return count[0];
    }

    public long holdLeaseMarginMillis() {
        return props.holdLeaseMargin().toMillis();
    }

    private void ensureWallet(String workspaceId) {
        if (!ensured.contains(workspaceId)) {
            commits.commit(() -> wallets.ensure(workspaceId, clock.millis()));
            ensured.add(workspaceId);
        }
    }

    /** Grants credits once to a new wallet inside the caller's transaction (the first start). */
    void grantInTransaction(String workspaceId, long amount, String reason) {
        long now = clock.millis();
        wallets.ensure(workspaceId, now);
        if (amount > 0) {
            long after = wallets.credit(workspaceId, amount, Long.MAX_VALUE / 2).orElseThrow();
            wallets.insertLedger(new LedgerEntry(Ids.newId("led"), workspaceId, "topup", amount, after, null, reason, null, now));
        }
    }

    public Map<String, Object> wallet(Principal principal) {
        principal.require(Permission.VIEW_BILLING);
        ensureWallet(principal.workspaceId());
        return withMemoryHolds(wallets.find(principal.workspaceId()).orElseThrow());
    }

    /** What a top-up answered; {@code replayed} when it is the stored answer of an earlier request with the key. */
    public record TopUp(Object body, boolean replayed) {
    }

    /**
     * Owner only: adds credits with a reason; the ledger records a {@code topup}. Under an
     * {@code Idempotency-Key} a retried top-up with the same key and body credits once and answers the
     * first response again: the key's response commits with the ledger entry.
     */
    public TopUp addCredits(Principal principal, JsonNode body, String idempotencyKey) {
        principal.require(Permission.MANAGE_BILLING);
        long amount = parseAmount(body.get("amount"));
        JsonNode reasonNode = body.get("reason");
        if (reasonNode == null || !reasonNode.isString() || reasonNode.asString().isBlank()) {
            throw GatewayException.invalidField("invalid_reason", "$.reason", "reason is required: a short note on why credits are added");
        }
        String reason = reasonNode.asString().strip();
        if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw GatewayException.invalidField("invalid_reason", "$.reason",
                    "reason must be at most " + MAX_REASON + " characters without control characters");
        }
        IdempotencyKeys.Claim claim = idempotency.claim("POST /api/billing/wallet/credits", principal, idempotencyKey, body,
                TOP_UP_LEASE);
        if (claim.replay().isPresent()) {
            return new TopUp(claim.replay().get().body(), true);
        }
        try {
            ensureWallet(principal.workspaceId());
            long max = props.maxTopUpMicros() * 1000;
            commits.commit(() -> {
                long after = wallets.credit(principal.workspaceId(), amount, max).orElseThrow(() -> GatewayException.of(
                        ErrorCategory.INVALID_REQUEST, "balance_limit", "the balance may not exceed " + Money.format(max)
                                + " credits").status(422).build());
                String ledgerId = Ids.newId("led");
                wallets.insertLedger(new LedgerEntry(ledgerId, principal.workspaceId(), "topup", amount, after, null,
                        reason, principal.userId(), clock.millis()));
                claim.complete(200, withMemoryHolds(wallets.find(principal.workspaceId()).orElseThrow()), ledgerId);
            });
        } catch (RuntimeException e) {
            claim.release();
            throw e;
        }
        credited(principal.workspaceId(), amount);
        return new TopUp(withMemoryHolds(wallets.find(principal.workspaceId()).orElseThrow()), false);
    }

    private long parseAmount(JsonNode node) {
        String fix = "amount must be a positive number of credits with at most 6 decimals and at most "
                + Money.format(props.maxTopUpMicros()) + ", e.g. \"10.5\"";
        if (node == null || !(node.isString() || node.isNumber())) {
            throw GatewayException.invalidField("invalid_amount", "$.amount", fix);
        }
        String text = node.isString() ? node.asString().strip() : node.decimalValue().toPlainString();
        if (text.length() > 32 || !text.matches("[0-9]+(\\.[0-9]+)?")) {
            throw GatewayException.invalidField("invalid_amount", "$.amount", fix);
        }
        long micros;
        try {
            micros = Money.fromCredits(new BigDecimal(text));
        } catch (RuntimeException e) {
            throw GatewayException.invalidField("invalid_amount", "$.amount", fix);
        }
        if (micros <= 0 || micros > props.maxTopUpMicros()) {
            throw GatewayException.invalidField("invalid_amount", "$.amount", fix);
        }
        return micros;
    }

    public Map<String, Object> ledger(Principal principal, int limit, int offset) {
        principal.require(Permission.VIEW_LEDGER);
        page(limit, offset);
        List<Map<String, Object>> data = wallets.ledger(principal.workspaceId(), limit, offset).stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("object", "ledger_entry");
            m.put("kind", e.kind());
            m.put("amount", Money.format(e.amount()));
            m.put("balance_after", Money.format(e.balanceAfter()));
            m.put("run_id", e.runId());
            m.put("reason", e.reason());
            m.put("user_id", e.userId());
            m.put("created_at", Times.instant(e.createdAt()));
            return m;
        }).toList();
        return Map.of("object", "list", "data", data, "limit", limit, "offset", offset);
    }

    /**
     * Runs, outcomes, tokens, units and credits per group between {@code from} (inclusive) and
     * {@code to} (exclusive), from the usage log.
     */
    public Map<String, Object> usageSummary(Principal principal, Long from, Long to, String groupBy) {
        principal.require(Permission.VIEW_BILLING);
        UsageSummaryStore.GroupBy g = UsageSummaryStore.GroupBy.parse(groupBy);
        long now = clock.millis();
        long t = to == null ? now + 1 : to;
        long f = from == null ? t - 30L * 86_400_000L : from;
        if (f >= t) {
            throw GatewayException.invalidField("invalid_parameter", "from", "from must be before to");
        }
        List<Map<String, Object>> rows = usage.summary(principal.workspaceId(), principal.models(), f, t, g).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(g.wireName(), g == UsageSummaryStore.GroupBy.DAY ? Times.instant(Long.parseLong(r.group())).toString()
                    .substring(0, 10) : r.group());
            m.put("runs", r.runs());
            m.put("succeeded", r.succeeded());
            m.put("failed", r.failed());
            m.put("blocked", r.blocked());
            m.put("input_tokens", r.inputTokens());
            m.put("output_tokens", r.outputTokens());
            m.put("tokens", r.inputTokens() + r.outputTokens());
            m.put("units", r.units());
            m.put("credits", Money.format(r.costMicros()));
            return m;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "usage_summary");
        body.put("from", Times.instant(f));
        body.put("to", Times.instant(t));
        body.put("group_by", g.wireName());
        body.put("data", rows);
        return body;
    }

    private static void page(int limit, int offset) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
    }

    private Map<String, Object> withMemoryHolds(Wallet w) {
        long held = heldInMemory(w.workspaceId());
        return view(held == 0 ? w : new Wallet(w.workspaceId(), w.balance(), w.reserved() + held, w.currency()));
    }

    static Map<String, Object> view(Wallet w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "wallet");
        m.put("balance", Money.format(w.balance()));
        m.put("reserved", Money.format(w.reserved()));
        m.put("available", Money.format(w.available()));
        m.put("currency", w.currency());
        return m;
    }

    /** For the gateway's own checks and tests: the wallet, or empty before its first use. */
    public java.util.Optional<Wallet> find(String workspaceId) {
        return wallets.find(workspaceId);
    }

    public long ledgerSum(String workspaceId) {
        return wallets.ledgerSum(workspaceId);
    }
}
