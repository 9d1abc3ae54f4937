package io.aimp.gateway.auth;

import io.aimp.gateway.auth.AccountStore.Member;
import io.aimp.gateway.auth.AccountStore.User;
import io.aimp.gateway.auth.AccountStore.Workspace;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/** Workspaces and their members. Every call is confined to the caller's workspace. */
@Service
public class AccountService {

    private final AccountStore store;
    private final Memberships memberships;
    private final Database db;
    private final Clock clock;

    AccountService(AccountStore store, Memberships memberships, Database db, Clock clock) {
        this.store = store;
        this.memberships = memberships;
        this.db = db;
        this.clock = clock;
    }

    public record WorkspaceView(String id, String object, String name, String role, java.time.Instant createdAt) {
        WorkspaceView(String id, String name, Role role, long createdAt) {
            this(id, "workspace", name, role.wireName(), io.aimp.gateway.common.Times.instant(createdAt));
        }
    }

    public record MemberView(String userId, String object, String email, String name, String role,
                             java.time.Instant createdAt) {
        static MemberView of(Member m) {
            return new MemberView(m.userId(), "member", m.email(), m.name(), m.role().wireName(),
                    io.aimp.gateway.common.Times.instant(m.createdAt()));
        }
    }

    public WorkspaceView workspace(Principal caller) {
        Workspace w = store.findWorkspace(caller.workspaceId()).orElseThrow(() -> GatewayException.notFound("workspace"));
        return new WorkspaceView(w.id(), w.name(), caller.role(), w.createdAt());
    }

    /** Workspaces the calling user belongs to (a key sees only its own workspace). */
    public List<WorkspaceView> workspaces(Principal caller) {
        if (caller.type() == Principal.Type.API_KEY) {
            return List.of(workspace(caller));
        }
        return store.membershipsOf(caller.userId()).stream()
                .map(m -> store.findWorkspace(m.workspaceId())
                        .map(w -> new WorkspaceView(w.id(), w.name(), m.role(), w.createdAt())).orElseThrow())
                .toList();
    }

    /** Creates a workspace owned by the calling user (for a key: the user who created the key). */
    public WorkspaceView createWorkspace(Principal caller, String name) {
        caller.require(Permission.MANAGE_WORKSPACES);
        validateName(name, "$.name");
        long now = clock.millis();
        Workspace w = new Workspace(Ids.newId("ws"), name.strip(), now);
        db.inTransaction(() -> {
            store.insertWorkspace(w);
            store.upsertMembership(w.id(), caller.userId(), Role.OWNER, now);
        });
        memberships.forget(w.id(), caller.userId());
        return new WorkspaceView(w.id(), w.name(), Role.OWNER, now);
    }

    public List<MemberView> members(Principal caller) {
        caller.require(Permission.MANAGE_MEMBERS);
        return store.listMembers(caller.workspaceId()).stream().map(MemberView::of).toList();
    }

    public MemberView changeRole(Principal caller, String userId, Role role) {
        caller.require(Permission.MANAGE_MEMBERS);
        Member target = member(caller, userId);
        guardTarget(caller, target);
        if (!caller.role().atLeast(role)) {
            throw GatewayException.forbidden("role_above_caller", "you cannot grant a role above your own");
        }
        db.inTransaction(() -> {
            store.upsertMembership(caller.workspaceId(), userId, role, target.createdAt());
            if (store.countOwners(caller.workspaceId()) == 0) {
                throw lastOwner();
            }
        });
        memberships.forget(caller.workspaceId(), userId);
        return MemberView.of(member(caller, userId));
    }

    public void removeMember(Principal caller, String userId) {
        caller.require(Permission.MANAGE_MEMBERS);
        Member target = member(caller, userId);
        guardTarget(caller, target);
        db.inTransaction(() -> {
            store.deleteMembership(caller.workspaceId(), userId);
            if (store.countOwners(caller.workspaceId()) == 0) {
                throw lastOwner();
            }
        });
        memberships.forget(caller.workspaceId(), userId);
    }

    private Member member(Principal caller, String userId) {
        return store.findMember(caller.workspaceId(), userId)
                .orElseThrow(() -> GatewayException.notFound("member " + ApiKeyService.safeId(userId)));
    }

    private static void guardTarget(Principal caller, Member target) {
        if (!caller.role().atLeast(target.role())) {
            throw GatewayException.forbidden("role_above_caller", "you cannot change a member whose role is above yours");
        }
    }

    private static GatewayException lastOwner() {
        return GatewayException.of(io.aimp.gateway.common.ErrorCategory.INVALID_REQUEST, "last_owner",
                "a workspace must keep at least one owner").status(409).build();
    }

    static String normalizeEmail(String email) {
        if (email == null || email.length() > 254 || !email.strip().matches("[^@\\s]+@[^@\\s]+")) {
            throw GatewayException.invalidField("invalid_email", "$.email", "email must be an email address");
        }
        return email.strip().toLowerCase(Locale.ROOT);
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < PasswordHasher.MIN_LENGTH || password.length() > PasswordHasher.MAX_LENGTH) {
            throw GatewayException.invalidField("invalid_password", "$.password",
                    "password must have between " + PasswordHasher.MIN_LENGTH + " and " + PasswordHasher.MAX_LENGTH + " characters");
        }
    }

    static void validateName(String name, String path) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw GatewayException.invalidField("invalid_name", path, "name is required and may have at most 100 characters");
        }
    }
}
