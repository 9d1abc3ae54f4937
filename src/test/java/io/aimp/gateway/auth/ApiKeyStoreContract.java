package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.AccountStore.Workspace;
import io.aimp.gateway.auth.ApiKeyStore.ApiKey;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StoreContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** What every {@link ApiKeyStore} implementation promises, run once per database backend. */
abstract class ApiKeyStoreContract extends StoreContract {

    private ApiKeyStore store;
    private AccountStore accounts;
    private String workspaceId;
    private String userId;

    @Override
    protected void createStores(Database database) {
        store = new JdbcApiKeyStore(database);
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

    private ApiKey key(long createdAt) {
        String id = Ids.newId("key");
        return new ApiKey(id, workspaceId, userId, "key " + createdAt, "aimp_sk_ab12", "hash-" + id, Role.DEVELOPER,
                null, null, null, createdAt, null);
    }

    @Test
    void should_find_an_inserted_key_by_hash_and_by_id_with_every_field() {
        ApiKey k = new ApiKey(Ids.newId("key"), workspaceId, userId, "ci", "aimp_sk_Zz09", "hash-" + Ids.newId("h"),
                Role.VIEWER, Set.of("support-bot", "docs-embed"), 9_000L, null, 1_000, null);

        store.insert(k);

        assertThat(store.findByHash(k.secretHash())).contains(k);
        assertThat(store.find(workspaceId, k.id())).contains(k);
        assertThat(store.findByHash("hash-unknown")).isEmpty();
    }

    @Test
    void should_not_find_a_key_from_another_workspace() {
        ApiKey k = key(1_000);
        store.insert(k);
        Workspace other = AccountStoreContract.workspace(1_000);
        accounts.insertWorkspace(other);

        assertThat(store.find(other.id(), k.id())).isEmpty();
        assertThat(store.list(other.id(), true)).isEmpty();
        assertThat(store.revoke(other.id(), k.id(), 2_000)).isFalse();
        assertThat(store.find(workspaceId, k.id()).orElseThrow().revokedAt()).isNull();
    }

    @Test
    void should_refuse_a_second_key_with_the_same_hash() {
        ApiKey k = key(1_000);
        store.insert(k);
        ApiKey clash = new ApiKey(Ids.newId("key"), workspaceId, userId, "clash", "aimp_sk_ab12", k.secretHash(),
                Role.DEVELOPER, null, null, null, 2_000, null);

        assertThatThrownBy(() -> store.insert(clash)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void should_revoke_a_key_only_once() {
        ApiKey k = key(1_000);
        store.insert(k);
        long active = store.countActive();

        assertThat(store.revoke(workspaceId, k.id(), 5_000)).isTrue();
        assertThat(store.revoke(workspaceId, k.id(), 6_000)).isFalse();

        assertThat(store.find(workspaceId, k.id()).orElseThrow().revokedAt()).isEqualTo(5_000L);
        assertThat(store.findByHash(k.secretHash()).orElseThrow().revokedAt()).isEqualTo(5_000L);
        assertThat(store.countActive()).isEqualTo(active - 1);
        assertThat(store.revoke(workspaceId, "key_missing", 7_000)).isFalse();
    }

    @Test
    void should_list_newest_first_and_hide_revoked_keys_unless_asked() {
        ApiKey old = key(1_000);
        ApiKey revoked = key(2_000);
        ApiKey fresh = key(3_000);
        store.insert(old);
        store.insert(revoked);
        store.insert(fresh);
        store.revoke(workspaceId, revoked.id(), 4_000);

        assertThat(store.list(workspaceId, false)).extracting(ApiKey::id).containsExactly(fresh.id(), old.id());
        assertThat(store.list(workspaceId, true)).extracting(ApiKey::id).containsExactly(fresh.id(), revoked.id(), old.id());
    }

    @Test
    void should_only_move_last_used_forward() {
        ApiKey k = key(1_000);
        store.insert(k);

        store.touch(Map.of(k.id(), 5_000L));
        store.touch(Map.of(k.id(), 4_000L));
        assertThat(store.find(workspaceId, k.id()).orElseThrow().lastUsedAt()).isEqualTo(5_000L);

        store.touch(Map.of(k.id(), 6_000L, "key_missing", 7_000L));
        assertThat(store.find(workspaceId, k.id()).orElseThrow().lastUsedAt()).isEqualTo(6_000L);

        store.touch(Map.of());
        assertThat(store.find(workspaceId, k.id()).orElseThrow().lastUsedAt()).isEqualTo(6_000L);
    }

    @Test
    void should_keep_a_single_model_allowlist_and_no_allowlist_apart() {
        ApiKey one = new ApiKey(Ids.newId("key"), workspaceId, userId, "one", "aimp_sk_ab12", "hash-" + Ids.newId("h"),
                Role.MEMBER, Set.of("support-bot"), null, null, 1_000, null);
        ApiKey all = key(1_000);
        store.insert(one);
        store.insert(all);

        assertThat(store.find(workspaceId, one.id()).orElseThrow().models()).containsExactly("support-bot");
        assertThat(store.find(workspaceId, all.id()).orElseThrow().models()).isNull();
    }
}
