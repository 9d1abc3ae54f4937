package io.aimp.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.auth.AccountStore.Member;
import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.AccountStore.Workspace;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StoreContract;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** What every {@link AccountStore} implementation promises, run once per database backend. */
abstract class AccountStoreContract extends StoreContract {

    private AccountStore store;

    @Override
    protected void createStores(Database database) {
        store = new JdbcAccountStore(database);
    }

    static Workspace workspace(long createdAt) {
        return new Workspace(Ids.newId("ws"), "Workspace " + createdAt, createdAt);
    }

    static User user(long createdAt) {
        String id = Ids.newId("usr");
        return new User(id, id.toLowerCase(java.util.Locale.ROOT) + "@store.test", "User " + createdAt, "hash-" + id, createdAt);
    }

    @Test
    void should_find_an_inserted_workspace_and_count_it() {
        long before = store.countWorkspaces();
        Workspace w = workspace(1_000);

        store.insertWorkspace(w);

        assertThat(store.findWorkspace(w.id())).contains(w);
        assertThat(store.findWorkspace("ws_missing")).isEmpty();
        assertThat(store.countWorkspaces()).isEqualTo(before + 1);
    }

    @Test
    void should_insert_a_user_once_and_refuse_a_duplicate_email() {
        User first = user(1_000);
        User sameEmail = new User(Ids.newId("usr"), first.email(), "Impostor", "other-hash", 2_000);

        assertThat(store.insertUser(first)).isTrue();
        assertThat(store.insertUser(sameEmail)).isFalse();

        assertThat(store.findUserByEmail(first.email())).contains(first);
        assertThat(store.findUser(first.id())).contains(first);
        assertThat(store.findUser(sameEmail.id())).isEmpty();
        assertThat(store.findUserByEmail("nobody@store.test")).isEmpty();
    }

    @Test
    void should_change_a_role_on_upsert_and_keep_the_membership_date() {
        Workspace w = workspace(1_000);
        User u = user(1_000);
        store.insertWorkspace(w);
        store.insertUser(u);

        store.upsertMembership(w.id(), u.id(), Role.MEMBER, 5_000);
        store.upsertMembership(w.id(), u.id(), Role.ADMIN, 9_000);

        assertThat(store.findMember(w.id(), u.id()))
                .contains(new Member(w.id(), u.id(), u.email(), u.name(), Role.ADMIN, 5_000));
        assertThat(store.listMembers(w.id())).hasSize(1);
    }

    @Test
    void should_list_members_of_one_workspace_oldest_first() {
        Workspace a = workspace(1_000);
        Workspace b = workspace(1_000);
        User older = user(1_000);
        User newer = user(1_000);
        User elsewhere = user(1_000);
        store.insertWorkspace(a);
        store.insertWorkspace(b);
        store.insertUser(older);
        store.insertUser(newer);
        store.insertUser(elsewhere);
        store.upsertMembership(a.id(), newer.id(), Role.VIEWER, 3_000);
        store.upsertMembership(a.id(), older.id(), Role.OWNER, 2_000);
        store.upsertMembership(b.id(), elsewhere.id(), Role.OWNER, 1_000);

        assertThat(store.listMembers(a.id())).extracting(Member::userId).containsExactly(older.id(), newer.id());
        assertThat(store.listMembers(b.id())).extracting(Member::userId).containsExactly(elsewhere.id());
        assertThat(store.findMember(a.id(), elsewhere.id())).isEmpty();
    }

    @Test
    void should_list_a_users_workspaces_oldest_first_with_the_role_in_each() {
        Workspace first = workspace(1_000);
        Workspace second = workspace(2_000);
        User u = user(1_000);
        store.insertWorkspace(first);
        store.insertWorkspace(second);
        store.insertUser(u);
        store.upsertMembership(second.id(), u.id(), Role.VIEWER, 8_000);
        store.upsertMembership(first.id(), u.id(), Role.OWNER, 7_000);

        assertThat(store.membershipsOf(u.id())).extracting(Member::workspaceId, Member::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.id(), Role.OWNER),
                        org.assertj.core.groups.Tuple.tuple(second.id(), Role.VIEWER));
    }

    @Test
    void should_delete_a_membership_once_and_count_owners() {
        Workspace w = workspace(1_000);
        User owner = user(1_000);
        User admin = user(1_000);
        store.insertWorkspace(w);
        store.insertUser(owner);
        store.insertUser(admin);
        store.upsertMembership(w.id(), owner.id(), Role.OWNER, 1_000);
        store.upsertMembership(w.id(), admin.id(), Role.ADMIN, 1_000);
        assertThat(store.countOwners(w.id())).isEqualTo(1);

        assertThat(store.deleteMembership(w.id(), owner.id())).isTrue();
        assertThat(store.deleteMembership(w.id(), owner.id())).isFalse();

        assertThat(store.countOwners(w.id())).isZero();
        assertThat(store.findMember(w.id(), owner.id())).isEmpty();
        assertThat(store.findUser(owner.id())).isPresent();
    }

    @Test
    void should_refuse_a_membership_in_a_workspace_that_does_not_exist() {
        User u = user(1_000);
        store.insertUser(u);

        assertThatThrownBy(() -> store.upsertMembership("ws_missing", u.id(), Role.OWNER, 1_000))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void should_accept_an_invitation_once_and_list_only_pending_ones() {
        Workspace w = workspace(1_000);
        store.insertWorkspace(w);
        User inviter = user(1_000);
        store.insertUser(inviter);
        AccountStore.Invitation pending = invitation(w, inviter, 2_000, 10_000);
        AccountStore.Invitation expired = invitation(w, inviter, 2_001, 3_000);
        AccountStore.Invitation revoked = invitation(w, inviter, 2_002, 10_000);
        store.insertInvitation(pending);
        store.insertInvitation(expired);
        store.insertInvitation(revoked);

        assertThat(store.revokeInvitation(w.id(), revoked.id(), 4_000)).isTrue();
        assertThat(store.revokeInvitation(w.id(), revoked.id(), 4_001)).isFalse();
        assertThat(store.revokeInvitation("ws_other", pending.id(), 4_000)).isFalse();
        assertThat(store.listPendingInvitations(w.id(), 5_000)).extracting(AccountStore.Invitation::id)
                .containsExactly(pending.id());
        assertThat(store.findInvitationByHash(pending.tokenHash())).contains(pending);

        assertThat(store.markInvitationAccepted(pending.id(), 6_000)).isTrue();
        assertThat(store.markInvitationAccepted(pending.id(), 6_001)).isFalse();
        assertThat(store.markInvitationAccepted(revoked.id(), 6_000)).isFalse();
        assertThat(store.findInvitationByHash(pending.tokenHash()).orElseThrow().acceptedAt()).isEqualTo(6_000L);
        assertThat(store.listPendingInvitations(w.id(), 5_000)).isEmpty();
    }

    private static AccountStore.Invitation invitation(Workspace w, User inviter, long createdAt, long expiresAt) {
        String id = Ids.newId("inv");
        return new AccountStore.Invitation(id, w.id(), id.toLowerCase(java.util.Locale.ROOT) + "@store.test", null,
                Role.MEMBER, "hash-" + id, inviter.id(), createdAt, expiresAt, null, null);
    }
}
