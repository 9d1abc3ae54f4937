package io.aimp.gateway.billing;

import io.aimp.gateway.common.Money;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * On start: grants {@code aimp.starting-credits} once to the first (bootstrap) workspace, and
 * releases reservations stranded by a process that died. On SQLite only this process runs, so every
 * hold made before it started is stranded; on PostgreSQL only the holds whose lease ended are. A periodic
 * sweep releases holds of nodes that died later.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BillingStartup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BillingStartup.class);

    private final Database db;
    private final BillingService billing;
    private final Clock clock;
    private final long startingMicros;

    BillingStartup(Database db, BillingService billing, Clock clock,
                   @Value("${aimp.starting-credits:100}") String startingCredits) {
        this.db = db;
        this.billing = billing;
        this.clock = clock;
        try {
            this.startingMicros = Money.parseCredits(startingCredits);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("aimp.starting-credits (AIMP_STARTING_CREDITS) must be decimal credits "
                    + "with at most 6 decimals, e.g. 100");
        }
        if (startingMicros < 0) {
            throw new IllegalArgumentException("aimp.starting-credits (AIMP_STARTING_CREDITS) must not be negative");
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        long now = clock.millis();
        String granted = db.inTransaction(() -> {
            Optional<String> first = db.jdbc().sql("select id from workspaces order by created_at, id limit 1")
                    .query(String.class).optional();
            if (first.isEmpty()) {
                return null;
            }
            int claimed = db.jdbc().sql("insert into server_secrets (name, value, created_at) values ('starting_credits', ?, ?) "
                    + "on conflict (name) do nothing").params(Long.toString(startingMicros), now).update();
            if (claimed == 1) {
                billing.grantInTransaction(first.get(), startingMicros, "starting credits");
                return first.get();
            }
            return null;
        });
        if (granted != null) {
            billing.credited(granted, startingMicros);
        }
        // one node on SQLite: every hold made before this process started is stranded
        long createdBefore = db.dialect() == Dialect.SQLITE ? billing.startedAt() : Long.MIN_VALUE;
        int released = billing.releaseStrandedHolds(now, createdBefore);
        if (released > 0) {
            log.warn("released {} wallet reservation(s) left by a stopped gateway", released);
        }
    }

    @Scheduled(fixedDelayString = "${aimp.billing.hold-sweep-ms:30000}", initialDelay = 30_000)
    void sweep() {
        billing.releaseStrandedHolds(clock.millis(), Long.MIN_VALUE);
    }
}
