package io.aimp.gateway.auth;

import java.util.List;
import java.util.Optional;

/** Workspaces, users and memberships. */
public interface AccountStore {

    record Workspace(String id, String name, long createdAt) {
    }

    record User(String id, String email, String name, String passwordHash, long createdAt) {
    }

    record Member(String workspaceId, String userId, String email, String name, Role role, long createdAt) {
    }

    /** An invitation to join a workspace; only the hash of its token is stored. */
    record Invitation(String id, String workspaceId, String email, String name, Role role, String tokenHash,
                      String createdBy, long createdAt, long expiresAt, Long acceptedAt, Long revokedAt) {
    }

    void insertWorkspace(Workspace workspace);

    Optional<Workspace> findWorkspace(String id);

    long countWorkspaces();

    /** Inserts a user; returns false when the email is taken. */
    boolean insertUser(User user);

    Optional<User> findUserByEmail(String email);

    Optional<User> findUser(String id);

    void upsertMembership(String workspaceId, String userId, Role role, long now);

    Optional<Member> findMember(String workspaceId, String userId);

    List<Member> listMembers(String workspaceId);

    /** Workspaces of a user with the user's role in each, oldest first. */
    List<Member> membershipsOf(String userId);

    boolean deleteMembership(String workspaceId, String userId);

    long countOwners(String workspaceId);

    void insertInvitation(Invitation invitation);

    Optional<Invitation> findInvitationByHash(String tokenHash);

    /** Invitations of a workspace not yet accepted, revoked or expired at {@code now}, newest first. */
    List<Invitation> listPendingInvitations(String workspaceId, long now);

    /** Marks the invitation accepted; false when it was accepted or revoked already (single use). */
    boolean markInvitationAccepted(String id, long now);

    /** Revokes a pending invitation of the workspace; false when there is none by that id. */
    boolean revokeInvitation(String workspaceId, String id, long now);
}
