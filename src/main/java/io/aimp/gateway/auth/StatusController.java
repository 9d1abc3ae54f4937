package io.aimp.gateway.auth;

import io.aimp.gateway.common.FeatureFlag;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Availability (public) and, for a caller, its authentication state, permissions and the features
 * this gateway has on. Nothing here reveals usage or internal state.
 */
@RestController
@RequestMapping("/api/status")
class StatusController {

    private final String version;
    private final Clock clock;
    private final List<FeatureFlag> features;
    private final AccountService accounts;
    private final List<WorkspaceRole> workspaceRoles;

    StatusController(ObjectProvider<BuildProperties> build, Clock clock, List<FeatureFlag> features,
                     AccountService accounts, ObjectProvider<WorkspaceRole> workspaceRoles) {
        BuildProperties b = build.getIfAvailable();
        this.version = b != null ? b.getVersion() : "dev";
        this.clock = clock;
        this.features = features;
        this.accounts = accounts;
        this.workspaceRoles = workspaceRoles.orderedStream().toList();
    }

    /** Whether the caller holds {@code permission} in its workspace (a workspace's own role for it, if it set one). */
    private boolean can(Principal principal, Permission permission) {
        for (WorkspaceRole r : workspaceRoles) {
            if (r.permission() == permission) {
                return r.allows(principal);
            }
        }
        return principal.can(permission);
    }

    record Status(String status, String version, Instant time) {
    }

    @GetMapping
    Status status() {
        return new Status("ok", version, clock.instant());
    }

    @GetMapping("/auth")
    Map<String, Object> auth(Principal principal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authenticated", true);
        body.put("principal_type", principal.type().wireName());
        body.put("workspace", accounts.workspace(principal));
        body.put("role", principal.role().wireName());
        body.put("user_id", principal.userId());
        body.put("key_id", principal.keyId());
        body.put("key_prefix", principal.keyPrefix());
        return body;
    }

    @GetMapping("/permissions")
    Map<String, Object> permissions(Principal principal) {
        Map<String, Boolean> can = new LinkedHashMap<>();
        for (Permission p : Permission.values()) {
            can.put(p.wireName(), can(principal, p));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", principal.role().wireName());
        body.put("permissions", can);
        body.put("models", principal.models() == null ? "all" : principal.models());
        return body;
    }

    /**
     * Which features are on, with what each offers ({@code details}: the limits' scope, the media store's
     * backend, the configured providers by name, the kinds that can run), and what this caller may use of
     * them: the playground needs use_playground (developer and up unless the workspace set another role) and the
     * right to run models.
     */
    @GetMapping("/features")
    Map<String, Object> features(Principal principal) {
        Map<String, Boolean> on = new TreeMap<>();
        Map<String, Object> details = new TreeMap<>();
        for (FeatureFlag f : features) {
            on.put(f.name(), f.enabled());
            if (!f.details().isEmpty()) {
                details.put(f.name(), f.details());
            }
        }
        on.putIfAbsent("playground", false);
        Map<String, Object> caller = new LinkedHashMap<>();
        caller.put("playground", on.getOrDefault("playground", false) && can(principal, Permission.USE_PLAYGROUND)
                && principal.can(Permission.RUN_MODELS));
        caller.put("run_models", principal.can(Permission.RUN_MODELS));
        caller.put("models", principal.models() == null ? "all" : principal.models());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("features", on);
        body.put("details", details);
        body.put("caller", caller);
        return body;
    }
}
