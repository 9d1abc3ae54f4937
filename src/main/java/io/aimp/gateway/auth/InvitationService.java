package io.aimp.gateway.auth;

import io.aimp.gateway.auth.AccountStore.Invitation;
import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Secrets;
import io.aimp.gateway.common.Times;
import io.aimp.gateway.storage.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Adding a member is an invitation: nobody sets another person's password. The admin gets a
 * single-use token once (stored only as a keyed hash, expiring after {@code aimp.invitations.ttl})
 * and hands it to the person, who accepts it: a new account sets its own password there; an existing
 * account proves itself with its own password, so an account made by someone else (say, an admin of
 * another workspace who typed that email) cannot be pulled into this workspace by whoever knows its
 * password without the token this workspace gave out.
 */
@Service
public class InvitationService {

    static final String TOKEN_PREFIX = "aimp_inv_";

    private final AccountStore store;
    private final PasswordHasher passwords;
    private final LoginLimiter limiter;
    private final Memberships memberships;
    private final Database db;
    private final Clock clock;
    private final AuthProperties props;
    private final byte[] hashKey;

    InvitationService(AccountStore store, PasswordHasher passwords, LoginLimiter limiter, Memberships memberships,
                      Database db, Clock clock, AuthProperties props, ServerSecrets secrets) {
        this.store = store;
        this.passwords = passwords;
        this.limiter = limiter;
        this.memberships = memberships;
        this.db = db;
        this.clock = clock;
        this.props = props;
        this.hashKey = secrets.apiKeyPepper();
    }

    public record Invite(String email, String name, Role role) {
    }

    /** An invitation as the API shows it; {@code token} and {@code acceptUrl} only in the creation answer. */
    public record InvitationView(String id, String object, String email, String name, String role, Instant createdAt,
                                 Instant expiresAt, String createdBy, String token, String acceptUrl) {
        static InvitationView of(Invitation i, String token, String publicUrl) {
            return new InvitationView(i.id(), "invitation", i.email(), i.name(), i.role().wireName(),
                    Times.instant(i.createdAt()), Times.instant(i.expiresAt()), i.createdBy(), token,
                    token == null ? null : publicUrl + "/console/invite#" + token);
        }
    }

    public record Accepted(String object, String workspaceId, String userId, String email, String role) {
    }

    public InvitationView invite(Principal caller, Invite cmd) {
        caller.require(Permission.MANAGE_MEMBERS);
        Role role = cmd.role() == null ? Role.MEMBER : cmd.role();
        if (!caller.role().atLeast(role)) {
            throw GatewayException.forbidden("role_above_caller", "you cannot grant a role above your own");
        }
        String email = AccountService.normalizeEmail(cmd.email());
        String name = cmd.name() == null || cmd.name().isBlank() ? null : cmd.name().strip();
        if (name != null) {
            AccountService.validateName(name, "$.name");
        }
        boolean member = store.findUserByEmail(email)
                .flatMap(u -> store.findMember(caller.workspaceId(), u.id())).isPresent();
        if (member) {
            throw alreadyMember();
        }
        long now = clock.millis();
        String token = TOKEN_PREFIX + Secrets.randomBase62(43);
        Invitation invitation = new Invitation(Ids.newId("inv"), caller.workspaceId(), email, name, role, hash(token),
                caller.userId(), now, now + props.invitations().ttl().toMillis(), null, null);
        store.insertInvitation(invitation);
        return InvitationView.of(invitation, token, props.publicUrl());
    }

    public List<InvitationView> pending(Principal caller) {
        caller.require(Permission.MANAGE_MEMBERS);
        return store.listPendingInvitations(caller.workspaceId(), clock.millis()).stream()
                .map(i -> InvitationView.of(i, null, props.publicUrl())).toList();
    }

    public void revoke(Principal caller, String id) {
        caller.require(Permission.MANAGE_MEMBERS);
        if (!store.revokeInvitation(caller.workspaceId(), id, clock.millis())) {
            throw GatewayException.notFound("invitation " + ApiKeyService.safeId(id));
        }
    }

    /**
     * Accepts an invitation. A new account is created with {@code password}; an existing account must
     * give its own password (which is not changed). The token is used up only when the membership is made.
     *
     * @throws GatewayException 401 {@code invalid_invitation} for an unknown, used, revoked or expired token,
     *                          or one whose inviter may no longer grant its role; 401 {@code invalid_credentials}
     *                          when the account exists and the password is not its own; 409 {@code already_member}
     */
    public Accepted accept(String token, String password, String clientIp) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            throw invalidInvitation();
        }
        long now = clock.millis();
        Invitation inv = store.findInvitationByHash(hash(token)).orElseThrow(InvitationService::invalidInvitation);
        if (inv.acceptedAt() != null || inv.revokedAt() != null || inv.expiresAt() <= now) {
            throw invalidInvitation();
        }
        // the inviter's rights now, not when the token was made
        boolean inviterMay = store.findMember(inv.workspaceId(), inv.createdBy())
                .map(m -> m.role().atLeast(Permission.MANAGE_MEMBERS.minimum()) && m.role().atLeast(inv.role()))
                .orElse(false);
        if (!inviterMay) {
            throw invalidInvitation();
        }
        User existing = store.findUserByEmail(inv.email()).orElse(null);
        User user;
        if (existing != null) {
            // a password is guessed here as at sign-in, so it counts against the same limits
            limiter.check(inv.email(), clientIp);
            if (password == null || password.length() > PasswordHasher.MAX_LENGTH
                    || !passwords.matches(password, existing.passwordHash())) {
                throw GatewayException.unauthenticated("invalid_credentials",
                        "an account with this email exists: accept with that account's own password");
            }
            user = existing;
        } else {
            AccountService.validatePassword(password);
            user = new User(Ids.newId("usr"), inv.email(), inv.name() == null ? inv.email() : inv.name(),
                    passwords.hash(password), now);
        }
        db.inTransaction(() -> {
            if (existing == null && !store.insertUser(user)) {
                // the account was created meanwhile (another invitation): its own password is needed now
                throw GatewayException.unauthenticated("invalid_credentials",
                        "an account with this email exists: accept with that account's own password");
            }
            if (store.findMember(inv.workspaceId(), user.id()).isPresent()) {
                throw alreadyMember();
            }
            if (!store.markInvitationAccepted(inv.id(), now)) {
                throw invalidInvitation();
            }
            store.upsertMembership(inv.workspaceId(), user.id(), inv.role(), now);
        });
        memberships.forget(inv.workspaceId(), user.id());
        return new Accepted("invitation_acceptance", inv.workspaceId(), user.id(), user.email(), inv.role().wireName());
    }

    private String hash(String token) {
        return Secrets.hmacHex(hashKey, token);
    }

    private static GatewayException invalidInvitation() {
        return GatewayException.unauthenticated("invalid_invitation",
                "the invitation is not valid: it is unknown, used, revoked or expired; ask for a new one");
    }

    private static GatewayException alreadyMember() {
        return GatewayException.of(ErrorCategory.INVALID_REQUEST, "already_member",
                "that account is already a member of this workspace").status(409).build();
    }
}
