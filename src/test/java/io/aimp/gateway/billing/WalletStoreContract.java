package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.billing.WalletStore.LedgerEntry;
import io.aimp.gateway.storage.DataSources;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StorageProperties;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link WalletStore} keeps, on SQLite and on PostgreSQL. */
abstract class WalletStoreContract {

    HikariDataSource ds;
    Database db;
    WalletStore store;
    String ws;

    abstract StorageProperties storage() throws Exception;

    @BeforeEach
    void open() throws Exception {
        StorageProperties props = storage();
        ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        db = new Database(ds, props.dialect());
        store = new JdbcWalletStore(db);
        ws = "ws_" + UUID.randomUUID();
        db.jdbc().sql("insert into workspaces (id, name, created_at) values (?, 'w', 0)").param(ws).update();
        db.inTransaction(() -> {
            assertThat(store.ensure(ws, 0)).isTrue();
            assertThat(store.ensure(ws, 0)).isFalse();
            store.credit(ws, 1_000_000, Long.MAX_VALUE / 2);
        });
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private WalletStore.Wallet wallet() {
        return store.find(ws).orElseThrow();
    }

    @Test
    void should_reserve_only_what_is_available() {
        assertThat(db.inTransaction(() -> store.reserve("run_1", ws, 700_000, 10, 0))).isTrue();
        assertThat(db.inTransaction(() -> store.reserve("run_2", ws, 300_001, 10, 0))).isFalse();
        assertThat(db.inTransaction(() -> store.reserve("run_3", ws, 300_000, 10, 0))).isTrue();

        assertThat(wallet().reserved()).isEqualTo(1_000_000);
        assertThat(wallet().available()).isZero();
    }

    @Test
    void should_reserve_in_a_batched_transaction_only_what_is_available() {
        Boolean[] first = {null};
        Boolean[] second = {null};
        db.inBatchedTransaction(() -> {
            store.reserveInBatch("run_1", ws, 700_000, 10, 0, r -> first[0] = r);
            store.reserveInBatch("run_2", ws, 300_001, 10, 0, r -> second[0] = r);
        });

        assertThat(first[0]).isTrue();
        assertThat(second[0]).isFalse();
        assertThat(wallet().reserved()).isEqualTo(700_000);
    }

    @Test
    void should_charge_with_its_ledger_entry_in_one_money_move() {
        db.inTransaction(() -> store.reserve("run_1", ws, 700_000, 10, 0));
        db.inTransaction(() -> store.reserve("run_2", ws, 100_000, 10, 0));

        db.inBatchedTransaction(() -> {
            store.charge("run_1", ws, 700_000, 250_000, "led_c1", "usr_1", 7);
            store.charge("run_2", ws, 100_000, 0, "led_c2", "usr_1", 8);
        });

        assertThat(wallet().balance()).isEqualTo(750_000);
        assertThat(wallet().reserved()).isZero();
        assertThat(store.strandedHolds(Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(store.ledger(ws, 10, 0)).containsExactly(
                new WalletStore.LedgerEntry("led_c1", ws, "charge", -250_000, 750_000, "run_1", null, "usr_1", 7));
    }

    @Test
    void should_refuse_a_charge_the_balance_cannot_cover_once_the_hold_is_gone() {
        assertThatThrownBy(() -> db.inBatchedTransaction(() -> store.charge("run_gone", ws, 500_000, 1_000_001, "led_x", null, 1)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(wallet().balance()).isEqualTo(1_000_000);
        assertThat(store.ledger(ws, 10, 0)).isEmpty();
    }

    @Test
    void should_debit_the_charge_and_give_back_the_rest_of_the_hold() {
        db.inTransaction(() -> store.reserve("run_1", ws, 700_000, 10, 0));

        long after = db.inTransaction(() -> store.settle("run_1", ws, 700_000, 250_000)).orElseThrow();

        assertThat(after).isEqualTo(750_000);
        assertThat(wallet().reserved()).isZero();
        assertThat(store.strandedHolds(Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void should_release_a_hold_exactly_once() {
        db.inTransaction(() -> store.reserve("run_1", ws, 400_000, 10, 0));

        assertThat(db.inTransaction(() -> store.release("run_1", ws, 400_000))).isTrue();
        assertThat(db.inTransaction(() -> store.release("run_1", ws, 400_000))).isFalse();

        assertThat(wallet().reserved()).isZero();
        assertThat(wallet().balance()).isEqualTo(1_000_000);
    }

    @Test
    void should_not_let_a_run_without_its_hold_take_money_reserved_by_others() {
        db.inTransaction(() -> store.reserve("run_1", ws, 900_000, 10, 0));

        assertThat(db.inTransaction(() -> store.settle("run_gone", ws, 500_000, 500_000))).isEmpty();
        assertThat(db.inTransaction(() -> store.settle("run_gone", ws, 100_000, 100_000))).contains(900_000L);
    }

    @Test
    void should_find_holds_by_lease_or_age_and_keep_the_ledger_in_order() {
        db.inTransaction(() -> {
            store.reserve("run_old", ws, 1, 100, 5);
            store.reserve("run_new", ws, 1, 10_000, 50);
        });
        assertThat(store.strandedHolds(200, Long.MIN_VALUE)).extracting(WalletStore.Hold::runId).containsExactly("run_old");
        assertThat(store.strandedHolds(0, 60)).hasSize(2);

        db.inTransaction(() -> {
            store.insertLedger(new LedgerEntry("led_1", ws, "topup", 1_000_000, 1_000_000, null, "t", null, 1));
            store.insertLedger(new LedgerEntry("led_2", ws, "charge", -10, 999_990, "run_x", null, null, 2));
        });
        assertThat(store.ledger(ws, 10, 0)).extracting(LedgerEntry::id).containsExactly("led_2", "led_1");
        assertThat(store.ledgerSum(ws)).isEqualTo(999_990);
    }

    @Test
    void should_refuse_a_credit_past_the_maximum_balance() {
        assertThat(db.inTransaction(() -> store.credit(ws, 5, 1_000_004))).isEmpty();
        assertThat(db.inTransaction(() -> store.credit(ws, 4, 1_000_004))).contains(1_000_004L);
    }
}
