package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.AccountStore.Workspace;
import io.aimp.gateway.auth.RefreshTokenStore.RefreshToken;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RefreshTokenStore} implementation promises, run once per database backend. */
abstract class RefreshTokenStoreContract extends StoreContract {

    private RefreshTokenStore store;
    private AccountStore accounts;
    private String workspaceId;
    private String userId;

    @Override
    protected void createStores(Database database) {
        store = new JdbcRefreshTokenStore(database);
        accounts = new JdbcAccountStore(database);
    }

    @BeforeEach
    void workspaceWithAUser() {
        Workspace w = AccountStoreContract.workspace(1_000);
        User u = AccountStoreContract.user(1_000);
        accounts.insertWorkspace(w);
        accounts.insertUser(u);
        workspaceId = w.id();
        userId = u.id();
    }

    private RefreshToken token(String familyId) {
        String id = Ids.newId("rt");
        return new RefreshToken(id, familyId, userId, workspaceId, "hash-" + id, 100_000, 1_000, null, null);
    }

    @Test
    void should_find_an_inserted_token_by_hash() {
        RefreshToken t = token(Ids.newId("sess"));

        store.insert(t);

        assertThat(store.findByHash(t.tokenHash())).contains(t);
        assertThat(store.findByHash("hash-unknown")).isEmpty();
    }

    @Test
    void should_mark_a_token_used_only_once() {
        RefreshToken t = token(Ids.newId("sess"));
        store.insert(t);

        assertThat(store.markUsed(t.id(), 2_000)).isTrue();
        assertThat(store.markUsed(t.id(), 3_000)).isFalse();

        assertThat(store.findByHash(t.tokenHash()).orElseThrow().usedAt()).isEqualTo(2_000L);
        assertThat(store.markUsed("rt_missing", 3_000)).isFalse();
    }

    @Test
    void should_not_mark_a_revoked_token_used() {
        RefreshToken t = token(Ids.newId("sess"));
        store.insert(t);
        store.revokeFamily(t.familyId(), 2_000);

        assertThat(store.markUsed(t.id(), 3_000)).isFalse();
        assertThat(store.findByHash(t.tokenHash()).orElseThrow().usedAt()).isNull();
    }

    @Test
    void should_revoke_every_token_of_a_family_and_no_other_and_keep_the_first_revocation_time() {
        String family = Ids.newId("sess");
        RefreshToken used = token(family);
        RefreshToken current = token(family);
        RefreshToken otherFamily = token(Ids.newId("sess"));
        store.insert(used);
        store.insert(current);
        store.insert(otherFamily);
        store.markUsed(used.id(), 1_500);

        store.revokeFamily(family, 2_000);
        store.revokeFamily(family, 3_000);

        assertThat(store.findByHash(used.tokenHash()).orElseThrow().revokedAt()).isEqualTo(2_000L);
        assertThat(store.findByHash(current.tokenHash()).orElseThrow().revokedAt()).isEqualTo(2_000L);
        assertThat(store.findByHash(otherFamily.tokenHash()).orElseThrow().revokedAt()).isNull();
    }
}
