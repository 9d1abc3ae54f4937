package io.aimp.gateway.billing;

import java.util.List;
import java.util.Optional;

/**
 * Wallets, reservations and the ledger. Every money move is a conditional update, never a read
 * followed by a write; each method runs inside the caller's transaction.
 */
public interface WalletStore {

    record Wallet(String workspaceId, long balance, long reserved, String currency) {

        public long available() {
            return balance - reserved;
        }
    }

    record LedgerEntry(String id, String workspaceId, String kind, long amount, long balanceAfter, String runId,
                       String reason, String userId, long createdAt) {
    }

    record Hold(String runId, String workspaceId, long amount) {
    }

    /** Creates the workspace's wallet at zero unless it exists; true when it was created. */
    boolean ensure(String workspaceId, long now);

    Optional<Wallet> find(String workspaceId);

    /**
     * Reserves {@code amount} for a run when the available balance covers it ({@code balance - reserved
     * >= amount}) and records the hold with its lease. False, with nothing written, when it does not.
     */
    boolean reserve(String runId, String workspaceId, long amount, long leaseUntil, long now);

    /**
     * {@link #reserve} as a statement of a batched transaction (see
     * {@link io.aimp.gateway.storage.Database#updateInBatch}): {@code reserved} gets the answer when the
     * statement has run, at the latest just before the commit.
     */
    void reserveInBatch(String runId, String workspaceId, long amount, long leaseUntil, long now,
                        java.util.function.Consumer<Boolean> reserved);

    /**
     * Adds {@code extra} to the run's existing hold when the available balance covers it, with the same
     * conditional update as {@link #reserve}, and moves its lease to {@code leaseUntil}. False, with
     * nothing written, when it does not (or the run holds nothing).
     */
    boolean extend(String runId, String workspaceId, long extra, long leaseUntil, long now);

    /**
     * Deletes the run's hold and gives its amount back to the available balance. False when the run
     * held nothing (already settled, released or swept).
     */
    boolean release(String runId, String workspaceId, long amount);

    /**
     * Releases the run's hold and debits {@code charge} (at most the hold) in one conditional update,
     * returning the balance after, or empty when the hold was gone and the balance could not cover it.
     */
    Optional<Long> settle(String runId, String workspaceId, long held, long charge);

    /**
     * The money move of a run's completion: {@link #settle} and, when {@code charge > 0}, its ledger
     * entry ({@code ledgerId}, kind {@code charge}, the balance after) — one statement on PostgreSQL,
     * sent with its batch's other statements. Fails the transaction (an {@link IllegalStateException},
     * at once or at the latest just before the commit) when the hold was gone and the balance could
     * not cover the charge.
     */
    void charge(String runId, String workspaceId, long held, long charge, String ledgerId, String userId, long now);

    /** Adds {@code amount} to the balance when it stays below {@code maxBalance}; the balance after, or empty. */
    Optional<Long> credit(String workspaceId, long amount, long maxBalance);

    void insertLedger(LedgerEntry entry);

    List<LedgerEntry> ledger(String workspaceId, int limit, int offset);

    long ledgerSum(String workspaceId);

    /** Holds whose lease ended before {@code leaseBefore} or that were made before {@code createdBefore}. */
    List<Hold> strandedHolds(long leaseBefore, long createdBefore);
}
