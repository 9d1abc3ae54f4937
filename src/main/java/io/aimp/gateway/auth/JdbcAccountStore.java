package io.aimp.gateway.auth;

import io.aimp.gateway.storage.Database;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

@Repository
class JdbcAccountStore implements AccountStore {

    private final Database db;

    JdbcAccountStore(Database db) {
        this.db = db;
    }

    @Override
    public void insertWorkspace(Workspace w) {
        db.jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, ?)")
                .params(w.id(), w.name(), w.createdAt()).update();
    }

    @Override
    public Optional<Workspace> findWorkspace(String id) {
        return db.jdbc().sql("select id, name, created_at from workspaces where id = ?").param(id)
                .query((rs, n) -> new Workspace(rs.getString(1), rs.getString(2), rs.getLong(3))).optional();
    }

    @Override
    public long countWorkspaces() {
        return db.jdbc().sql("select count(*) from workspaces").query(Long.class).single();
    }

    @Override
    public boolean insertUser(User u) {
        int n = db.jdbc().sql("""
                        insert into users (id, email, name, password_hash, created_at) values (?, ?, ?, ?, ?)
                        on conflict (email) do nothing""")
                .params(u.id(), u.email(), u.name(), u.passwordHash(), u.createdAt()).update();
        return n == 1;
    }

    @Override
    public Optional<User> findUserByEmail(String email) {
        return db.jdbc().sql("select id, email, name, password_hash, created_at from users where email = ?")
                .param(email).query(JdbcAccountStore::user).optional();
    }

    @Override
    public Optional<User> findUser(String id) {
        return db.jdbc().sql("select id, email, name, password_hash, created_at from users where id = ?")
                .param(id).query(JdbcAccountStore::user).optional();
    }

    private static User user(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }

    @Override
    public void upsertMembership(String workspaceId, String userId, Role role, long now) {
        db.jdbc().sql("""
                        insert into memberships (workspace_id, user_id, role, created_at) values (?, ?, ?, ?)
                        on conflict (workspace_id, user_id) do update set role = excluded.role""")
                .params(workspaceId, userId, role.name(), now).update();
    }

    private static final String MEMBER_SELECT = """
            select m.workspace_id, m.user_id, u.email, u.name, m.role, m.created_at
            from memberships m join users u on u.id = m.user_id""";

    private static Member member(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Role.valueOf(rs.getString(5)), rs.getLong(6));
    }

    @Override
    public Optional<Member> findMember(String workspaceId, String userId) {
        return db.jdbc().sql(MEMBER_SELECT + " where m.workspace_id = ? and m.user_id = ?")
                .params(workspaceId, userId).query(JdbcAccountStore::member).optional();
    }

    @Override
    public List<Member> listMembers(String workspaceId) {
        return db.jdbc().sql(MEMBER_SELECT + " where m.workspace_id = ? order by m.created_at, m.user_id")
                .param(workspaceId).query(JdbcAccountStore::member).list();
    }

    @Override
    public List<Member> membershipsOf(String userId) {
        return db.jdbc().sql(MEMBER_SELECT + " where m.user_id = ? order by m.created_at, m.workspace_id")
                .param(userId).query(JdbcAccountStore::member).list();
    }

    @Override
    public boolean deleteMembership(String workspaceId, String userId) {
        return db.jdbc().sql("delete from memberships where workspace_id = ? and user_id = ?")
                .params(workspaceId, userId).update() == 1;
    }

    @Override
    public long countOwners(String workspaceId) {
        return db.jdbc().sql("select count(*) from memberships where workspace_id = ? and role = 'OWNER'")
                .param(workspaceId).query(Long.class).single();
    }

    private static final String INVITATION_SELECT = """
            select id, workspace_id, email, name, role, token_hash, created_by, created_at, expires_at, accepted_at,
            revoked_at from invitations
            """;

    private static Invitation invitation(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Invitation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Role.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9),
                io.aimp.gateway.storage.Rows.nullableLong(rs, 10), io.aimp.gateway.storage.Rows.nullableLong(rs, 11));
    }

    @Override
    public void insertInvitation(Invitation i) {
        db.jdbc().sql("""
                        insert into invitations (id, workspace_id, email, name, role, token_hash, created_by, created_at,
                        expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(i.id(), i.workspaceId(), i.email(), i.name(), i.role().name(), i.tokenHash(), i.createdBy(),
                        i.createdAt(), i.expiresAt())
                .update();
    }

    @Override
    public Optional<Invitation> findInvitationByHash(String tokenHash) {
        return db.jdbc().sql(INVITATION_SELECT + " where token_hash = ?").param(tokenHash)
                .query(JdbcAccountStore::invitation).optional();
    }

    @Override
    public List<Invitation> listPendingInvitations(String workspaceId, long now) {
        return db.jdbc().sql(INVITATION_SELECT + """
                         where workspace_id = ? and accepted_at is null and revoked_at is null and expires_at > ?
                         order by created_at desc, id""")
                .params(workspaceId, now).query(JdbcAccountStore::invitation).list();
    }

    @Override
    public boolean markInvitationAccepted(String id, long now) {
        return db.jdbc().sql("update invitations set accepted_at = ? where id = ? and accepted_at is null and revoked_at is null")
                .params(now, id).update() == 1;
    }

    @Override
    public boolean revokeInvitation(String workspaceId, String id, long now) {
        return db.jdbc().sql("""
                        update invitations set revoked_at = ?
                        where workspace_id = ? and id = ? and accepted_at is null and revoked_at is null""")
                .params(now, workspaceId, id).update() == 1;
    }
}
