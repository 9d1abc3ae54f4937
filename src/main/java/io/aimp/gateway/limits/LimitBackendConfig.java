package io.aimp.gateway.limits;

import io.aimp.gateway.common.FeatureFlag;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Limits in Redis when {@code aimp.redis.url} is set (every node shares them), else in this node's memory. */
@Configuration(proxyBeanMethods = false)
class LimitBackendConfig {

    private static final Logger log = LoggerFactory.getLogger(LimitBackendConfig.class);

    @Bean
    LimitBackend limitBackend(LimitsRedisProperties redis, LimitsProperties limits, Database db) {
        if (redis.enabled()) {
            RedisLimitBackend backend = new RedisLimitBackend(redis, limits.redisUnavailable(), new InMemoryLimitBackend());
            log.info("Limits are cluster-wide in Redis; while it cannot be reached, limit checks {}",
                    limits.redisUnavailable() == LimitsProperties.RedisUnavailable.DENY
                            ? "are refused (aimp.limits.redis-unavailable=deny)" : "count per node (aimp.limits.redis-unavailable=allow-local)");
            return backend;
        }
        if (db.dialect() == Dialect.POSTGRESQL) {
            log.warn("Requests and tokens per minute and concurrent runs are limited per node: with several nodes each admits "
                    + "its own share; set AIMP_REDIS_URL for cluster-wide limits");
        }
        return new InMemoryLimitBackend();
    }

    @Bean
    FeatureFlag clusterLimitsFeature(LimitsRedisProperties redis) {
        return FeatureFlag.of("cluster_limits", redis.enabled());
    }

    /**
     * Limits on runs ({@code aimp.limits.enabled}) and their scope: {@code cluster} when the per-minute windows
     * and concurrency slots live in Redis, {@code node} when each node counts its own.
     */
    @Bean
    FeatureFlag limitsFeature(LimitsRedisProperties redis, org.springframework.core.env.Environment env) {
        boolean on = org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("aimp.limits.enabled", Boolean.class).orElse(true);
        return FeatureFlag.of("limits", on, java.util.Map.of("scope", redis.enabled() ? "cluster" : "node",
                "backend", redis.enabled() ? "redis" : "memory"));
    }
}
