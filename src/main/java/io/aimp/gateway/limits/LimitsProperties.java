package io.aimp.gateway.limits;

import io.aimp.gateway.common.Money;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Default limits: {@code aimp.limits.workspace.*} for every workspace, {@code aimp.limits.key.*} for
 * every API key, and {@code aimp.limits.roles.<role>.*} per role within a workspace. Per-workspace
 * and per-key overrides are stored in the database (admin API). Unset means unlimited.
 * {@code aimp.limits.redis-unavailable} ({@code deny} or {@code allow-local}) applies when
 * {@code aimp.redis.url} is set and Redis cannot be reached.
 */
@ConfigurationProperties("aimp.limits")
public record LimitsProperties(@DefaultValue Config workspace, @DefaultValue Config key, Map<String, Config> roles,
                               @DefaultValue("deny") RedisUnavailable redisUnavailable) {

    /** What a limit check does while the configured Redis cannot be reached. */
    public enum RedisUnavailable {
        /** refuse the request with 503 {@code limits_unavailable}: no request goes past a limit unseen */
        DENY,
        /** count in this node's memory until Redis answers again: the limits hold per node meanwhile */
        ALLOW_LOCAL
    }

    /** Credit caps are decimal credits, e.g. {@code "25.5"}. */
    public record Config(Long requestsPerMinute, Long tokensPerMinute, Long concurrentRuns, String dailyCredits,
                         String monthlyCredits, Long imagesPerMinute, Long imagesPerDay) {

        LimitSet toSet(String where) {
            return new LimitSet(positive(requestsPerMinute, where + ".requests-per-minute"),
                    positive(tokensPerMinute, where + ".tokens-per-minute"),
                    positive(concurrentRuns, where + ".concurrent-runs"),
                    credits(dailyCredits, where + ".daily-credits"), credits(monthlyCredits, where + ".monthly-credits"),
                    positive(imagesPerMinute, where + ".images-per-minute"), positive(imagesPerDay, where + ".images-per-day"));
        }
    }

    public LimitsProperties {
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        redisUnavailable = redisUnavailable == null ? RedisUnavailable.DENY : redisUnavailable;
        Set<String> known = Set.of("owner", "admin", "developer", "member", "viewer");
        for (var e : roles.entrySet()) {
            if (!known.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("aimp.limits.roles." + e.getKey()
                        + " is not a role; use owner, admin, developer, member or viewer");
            }
            e.getValue().toSet("aimp.limits.roles." + e.getKey());
        }
        workspace.toSet("aimp.limits.workspace");
        key.toSet("aimp.limits.key");
    }

    private static Long positive(Long v, String name) {
        if (v != null && (v < 1 || v > LimitsService.MAX_LIMIT)) {
            throw new IllegalArgumentException(name + " must be between 1 and " + LimitsService.MAX_LIMIT);
        }
        return v;
    }

    private static Long credits(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long micros = Money.parseCredits(v);
            if (micros > 0) {
                return micros;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + " must be positive decimal credits with at most 6 decimals, e.g. 25");
    }
}
