package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.auth.WorkspaceRole;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.storage.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Who may use a workspace's playground: the role its admins set ({@code PUT /api/playground/settings}), else
 * {@code developer} ({@link Permission#USE_PLAYGROUND}'s default). The weakest role that may be set is {@code member}:
 * the playground runs models, which a viewer may not.
 */
@Component
class PlaygroundAccess implements WorkspaceRole {

    static final Role DEFAULT = Permission.USE_PLAYGROUND.minimum();
    private static final List<Role> SETTABLE = List.of(Role.MEMBER, Role.DEVELOPER, Role.ADMIN, Role.OWNER);

    private final Database db;
    private final Clock clock;

    PlaygroundAccess(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Permission permission() {
        return Permission.USE_PLAYGROUND;
    }

    @Override
    public boolean allows(Principal principal) {
        return principal.role().atLeast(minimum(principal.workspaceId())) && principal.can(Permission.RUN_MODELS);
    }

    /** Refuses with 403 {@code permission_denied}, naming the role the workspace asks for, unless the caller may. */
    void require(Principal principal) {
        if (!allows(principal)) {
            Role min = minimum(principal.workspaceId());
            throw GatewayException.forbidden("permission_denied", "the playground of this workspace requires the "
                    + min.wireName() + " role or higher; the " + principal.type().wireName().replace('_', ' ')
                    + " has the " + principal.role().wireName() + " role");
        }
    }

    /** The weakest role that may use the workspace's playground. */
    Role minimum(String workspaceId) {
        return stored(workspaceId).orElse(DEFAULT);
    }

    private Optional<Role> stored(String workspaceId) {
        return db.jdbc().sql("select min_role from playground_settings where workspace_id = ?").param(workspaceId)
                .query(String.class).optional().map(r -> Role.parse(r, "min_role"));
    }

    /** {@code GET /api/playground/settings} (admins). */
    Map<String, Object> settings(Principal principal) {
        principal.require(Permission.MANAGE_PLAYGROUND);
        return view(principal.workspaceId());
    }

    /**
     * {@code PUT /api/playground/settings {min_role}} (admins): {@code member}, {@code developer}, {@code admin} or
     * {@code owner}; {@code null} goes back to the default.
     */
    Map<String, Object> put(Principal principal, JsonNode body) {
        principal.require(Permission.MANAGE_PLAYGROUND);
        PlaygroundRequests in = new PlaygroundRequests();
        in.root(body, Set.of("min_role"));
        JsonNode r = body.get("min_role");
        Role role = null;
        if (r == null) {
            in.add("$.min_role", "is required: member, developer, admin or owner (null for the default, developer)");
        } else if (!r.isNull()) {
            role = SETTABLE.stream().filter(x -> r.isString() && x.wireName().equals(r.asString())).findFirst().orElse(null);
            if (role == null) {
                in.add("$.min_role", (r.isString() ? "'" + Printable.of(r.asString()) + "' is not a role that may be set"
                        : "must be a role name") + "; one of member, developer, admin, owner (a viewer may not run models)");
            }
        }
        in.done("invalid_playground_settings", "the playground settings");
        String ws = principal.workspaceId();
        if (role == null) {
            db.jdbc().sql("delete from playground_settings where workspace_id = ?").param(ws).update();
        } else {
            db.jdbc().sql("insert into playground_settings (workspace_id, min_role, updated_by, updated_at) values (?, ?, ?, ?) "
                            + "on conflict (workspace_id) do update set min_role = excluded.min_role, "
                            + "updated_by = excluded.updated_by, updated_at = excluded.updated_at")
                    .params(ws, role.wireName(), principal.userId(), clock.millis()).update();
        }
        return view(ws);
    }

    private Map<String, Object> view(String workspaceId) {
        Optional<Role> stored = stored(workspaceId);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "playground.settings");
        m.put("min_role", stored.orElse(DEFAULT).wireName());
        m.put("default", stored.isEmpty());
        return m;
    }
}
