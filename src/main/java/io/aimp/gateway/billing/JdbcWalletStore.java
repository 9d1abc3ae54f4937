package io.aimp.gateway.billing;

import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

@Repository
class JdbcWalletStore implements WalletStore {

    /** PostgreSQL: one round trip; the hold row exists only if the conditional update took the amount. */
    private static final String RESERVE_PG = """
            with w as (
                update wallets set reserved = reserved + ?, updated_at = ?
                where workspace_id = ? and balance - reserved >= ? returning workspace_id)
            insert into wallet_holds (run_id, workspace_id, amount, lease_until, created_at)
            select ?, workspace_id, ?, ?, ? from w""";
    /** PostgreSQL: settle (the hold row carries the amount held) without a charge to write. */
    private static final String SETTLE_PG = """
            with h as (delete from wallet_holds where run_id = ? returning amount),
                 u as (select coalesce(sum(amount), 0) as unreserve from h)
            update wallets set balance = balance - ?, reserved = reserved - u.unreserve
            from u where workspace_id = ? and balance - reserved + u.unreserve >= ?""";
    /** PostgreSQL: settle and the charge's ledger entry, with the balance after, in one statement. */
    private static final String CHARGE_PG = """
            with h as (delete from wallet_holds where run_id = ? returning amount),
                 u as (select coalesce(sum(amount), 0) as unreserve from h),
                 w as (update wallets set balance = balance - ?, reserved = reserved - u.unreserve
                       from u where workspace_id = ? and balance - reserved + u.unreserve >= ? returning balance)
            insert into ledger_entries (id, workspace_id, kind, amount, balance_after, run_id, reason, user_id, created_at)
            select ?, ?, 'charge', ?, balance, ?, null, ?, ? from w""";

    private final Database db;

    JdbcWalletStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean ensure(String workspaceId, long now) {
        return db.jdbc().sql("""
                        insert into wallets (workspace_id, balance, reserved, currency, updated_at)
                        values (?, 0, 0, 'credits', ?) on conflict (workspace_id) do nothing""")
                .params(workspaceId, now).update() == 1;
    }

    @Override
    public Optional<Wallet> find(String workspaceId) {
        return db.jdbc().sql("select workspace_id, balance, reserved, currency from wallets where workspace_id = ?")
                .param(workspaceId)
                .query((rs, n) -> new Wallet(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)))
                .optional();
    }

    @Override
    public boolean reserve(String runId, String workspaceId, long amount, long leaseUntil, long now) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            // one round trip: the hold row exists only if the conditional update took the amount
            return db.update(RESERVE_PG, amount, now, workspaceId, amount, runId, amount, leaseUntil, now) == 1;
        }
        int n = db.jdbc().sql("""
                        update wallets set reserved = reserved + ?, updated_at = ?
                        where workspace_id = ? and balance - reserved >= ?""")
                .params(amount, now, workspaceId, amount).update();
        if (n != 1) {
            return false;
        }
        db.jdbc().sql("insert into wallet_holds (run_id, workspace_id, amount, lease_until, created_at) values (?, ?, ?, ?, ?)")
                .params(runId, workspaceId, amount, leaseUntil, now).update();
        return true;
    }

    @Override
    public void reserveInBatch(String runId, String workspaceId, long amount, long leaseUntil, long now,
                               java.util.function.Consumer<Boolean> reserved) {
        if (db.dialect() != Dialect.POSTGRESQL) {
            reserved.accept(reserve(runId, workspaceId, amount, leaseUntil, now));
            return;
        }
        db.updateInBatch(RESERVE_PG, new Object[] {amount, now, workspaceId, amount, runId, amount, leaseUntil, now},
                n -> reserved.accept(n == 1));
    }

    @Override
    public boolean extend(String runId, String workspaceId, long extra, long leaseUntil, long now) {
        // the hold row first (the same lock order as settle); both statements commit or roll back together
        if (db.jdbc().sql("update wallet_holds set amount = amount + ?, lease_until = ? where run_id = ? and workspace_id = ?")
                .params(extra, leaseUntil, runId, workspaceId).update() != 1) {
            return false;
        }
        if (db.jdbc().sql("""
                        update wallets set reserved = reserved + ?, updated_at = ?
                        where workspace_id = ? and balance - reserved >= ?""")
                .params(extra, now, workspaceId, extra).update() == 1) {
            return true;
        }
        db.jdbc().sql("update wallet_holds set amount = amount - ? where run_id = ?").params(extra, runId).update();
        return false;
    }

    @Override
    public boolean release(String runId, String workspaceId, long amount) {
        // the delete is the gate: whoever removes the hold gives its amount back, exactly once
        if (db.jdbc().sql("delete from wallet_holds where run_id = ?").param(runId).update() != 1) {
            return false;
        }
        db.jdbc().sql("update wallets set reserved = reserved - ? where workspace_id = ?").params(amount, workspaceId).update();
        return true;
    }

    @Override
    public Optional<Long> settle(String runId, String workspaceId, long held, long charge) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            // the same two steps as below in one round trip; the hold row carries the amount held
            return db.updateReturningLong("""
                            with h as (delete from wallet_holds where run_id = ? returning amount),
                                 u as (select coalesce(sum(amount), 0) as unreserve from h)
                            update wallets set balance = balance - ?, reserved = reserved - u.unreserve
                            from u where workspace_id = ? and balance - reserved + u.unreserve >= ? returning balance""",
                    runId, charge, workspaceId, charge);
        }
        boolean hadHold = db.update("delete from wallet_holds where run_id = ?", runId) == 1;
        long unreserve = hadHold ? held : 0;
        // with its hold the run is covered (balance - reserved >= 0 and charge <= held); without it the
        // charge must fit what other runs have not reserved
        return db.updateReturningLong("""
                        update wallets set balance = balance - ?, reserved = reserved - ?
                        where workspace_id = ? and balance - reserved + ? >= ? returning balance""",
                charge, unreserve, workspaceId, unreserve, charge);
    }

    @Override
    public void charge(String runId, String workspaceId, long held, long charge, String ledgerId, String userId, long now) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            java.util.function.IntConsumer covered = Database.exactlyOne("wallet could not cover a settled run " + runId);
            if (charge > 0) {
                db.updateInBatch(CHARGE_PG, new Object[] {runId, charge, workspaceId, charge, ledgerId, workspaceId, -charge,
                        runId, userId, now}, covered);
            } else {
                db.updateInBatch(SETTLE_PG, new Object[] {runId, charge, workspaceId, charge}, covered);
            }
            return;
        }
        long after = settle(runId, workspaceId, held, charge)
                .orElseThrow(() -> new IllegalStateException("wallet could not cover a settled run " + runId));
        if (charge > 0) {
            insertLedger(new LedgerEntry(ledgerId, workspaceId, "charge", -charge, after, runId, null, userId, now));
        }
    }

    @Override
    public Optional<Long> credit(String workspaceId, long amount, long maxBalance) {
        int n = db.jdbc().sql("update wallets set balance = balance + ? where workspace_id = ? and balance <= ?")
                .params(amount, workspaceId, maxBalance - amount).update();
        return n == 1 ? Optional.of(balance(workspaceId)) : Optional.empty();
    }

    // read after our own write in the same transaction: the row is locked until commit
    private long balance(String workspaceId) {
        return db.jdbc().sql("select balance from wallets where workspace_id = ?").param(workspaceId)
                .query(Long.class).single();
    }

    @Override
    public void insertLedger(LedgerEntry e) {
        db.update("""
                        insert into ledger_entries (id, workspace_id, kind, amount, balance_after, run_id, reason, user_id, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                e.id(), e.workspaceId(), e.kind(), e.amount(), e.balanceAfter(), e.runId(), e.reason(), e.userId(),
                e.createdAt());
    }

    @Override
    public List<LedgerEntry> ledger(String workspaceId, int limit, int offset) {
        return db.jdbc().sql("""
                        select id, workspace_id, kind, amount, balance_after, run_id, reason, user_id, created_at
                        from ledger_entries where workspace_id = ? order by created_at desc, id desc limit ? offset ?""")
                .params(workspaceId, limit, offset)
                .query((rs, n) -> new LedgerEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9)))
                .list();
    }

    @Override
    public long ledgerSum(String workspaceId) {
        return db.jdbc().sql("select coalesce(sum(amount), 0) from ledger_entries where workspace_id = ?")
                .param(workspaceId).query(Long.class).single();
    }

    @Override
    public List<Hold> strandedHolds(long leaseBefore, long createdBefore) {
        return db.jdbc().sql("""
                        select run_id, workspace_id, amount from wallet_holds where lease_until < ? or created_at < ?
                        order by lease_until limit 1000""")
                .params(leaseBefore, createdBefore)
                .query((rs, n) -> new Hold(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list();
    }
}
