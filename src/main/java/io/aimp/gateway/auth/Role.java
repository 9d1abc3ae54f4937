package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
import java.util.Locale;

/** Workspace roles, strongest first. A role may do everything the roles below it may do. */
public enum Role {
    OWNER(4), ADMIN(3), DEVELOPER(2), MEMBER(1), VIEWER(0);

    private final int rank;

    Role(int rank) {
        this.rank = rank;
    }

    public boolean atLeast(Role other) {
        return rank >= other.rank;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; an unknown role is a 400 that lists the valid ones. */
    public static Role parse(String value, String path) {
        if (value != null) {
            for (Role r : values()) {
                if (r.wireName().equals(value)) {
                    return r;
                }
            }
        }
        throw GatewayException.invalidField("invalid_role", path,
                "role must be one of owner, admin, developer, member, viewer");
    }
}
