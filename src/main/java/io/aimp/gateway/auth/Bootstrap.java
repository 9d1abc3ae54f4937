package io.aimp.gateway.auth;

import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.AccountStore.Workspace;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Secrets;
import io.aimp.gateway.storage.Database;
import java.io.PrintStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * First start: the default workspace, its owner and one owner API key. Runs exactly once per
 * database (a marker row decides, so two nodes starting together cannot both bootstrap). The new
 * credentials are printed once to standard output — never to the log — ready to copy.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final Database db;
    private final AccountStore accounts;
    private final PasswordHasher passwords;
    private final ApiKeyService keys;
    private final AuthProperties props;
    private final Clock clock;
    private final PrintStream out;
    private final ApplicationEventPublisher events;

    Bootstrap(Database db, AccountStore accounts, PasswordHasher passwords, ApiKeyService keys, AuthProperties props,
              Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.db = db;
        this.accounts = accounts;
        this.passwords = passwords;
        this.keys = keys;
        this.props = props;
        this.clock = clock;
        this.out = System.out;
    }

    /** The ids of what the first start created, for whoever needs the default workspace. */
    record Created(String workspaceId, String userId) {
    }

    @Override
    public void run(ApplicationArguments args) {
        long now = clock.millis();
        String password = props.bootstrapOwnerPassword() != null ? props.bootstrapOwnerPassword() : Secrets.randomBase62(20);
        Created created = db.inTransaction(() -> {
            int claimed = db.jdbc()
                    .sql("insert into server_secrets (name, value, created_at) values ('bootstrapped', ?, ?) on conflict (name) do nothing")
                    .params(Long.toString(now), now).update();
            if (claimed == 0) {
                return null;
            }
            Workspace ws = new Workspace(Ids.newId("ws"), "Default", now);
            accounts.insertWorkspace(ws);
            String email = props.bootstrapOwnerEmail().toLowerCase(java.util.Locale.ROOT);
            User owner = accounts.findUserByEmail(email).orElse(null);
            if (owner == null) {
                owner = new User(Ids.newId("usr"), email, "Owner", passwords.hash(password), now);
                accounts.insertUser(owner);
            }
            accounts.upsertMembership(ws.id(), owner.id(), Role.OWNER, now);
            return new Created(ws.id(), owner.id());
        });
        if (created == null) {
            return;
        }
        ApiKeyService.CreatedKey key = keys.createInitial(created.workspaceId(), created.userId(), "bootstrap",
                Role.OWNER, props.bootstrapApiKey());
        log.info("first start: created the default workspace {}, its owner and owner key {}", created.workspaceId(),
                key.key().prefix());
        StringBuilder sb = new StringBuilder()
                .append("\n  AIMP Gateway is ready. Copy these into your shell (shown only once):\n\n")
                .append("    export AIMP_GATEWAY_URL=").append(props.publicUrl()).append('\n');
        if (props.bootstrapApiKey() != null) {
            sb.append("    export AIMP_API_KEY=\"$AIMP_BOOTSTRAP_API_KEY\"   # the key you configured\n");
        } else {
            sb.append("    export AIMP_API_KEY=").append(key.secret()).append('\n');
        }
        sb.append("\n  Web console sign-in: ").append(props.bootstrapOwnerEmail());
        if (props.bootstrapOwnerPassword() != null) {
            sb.append(" with the password from AIMP_BOOTSTRAP_OWNER_PASSWORD\n");
        } else {
            sb.append(" / ").append(password).append('\n');
        }
        out.println(sb);
        out.flush();
        events.publishEvent(new FirstStart(created.workspaceId(), created.userId()));
    }
}
