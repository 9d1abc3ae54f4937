package io.aimp.gateway.limits;

import io.aimp.gateway.auth.ApiKeyService;
import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.limits.LimitStore.ScopeType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Limit overrides (admin and up): {@code /api/limits} for the caller's workspace and
 * {@code /api/keys/{id}/limits} for one of its API keys. A {@code PUT} replaces the override; a
 * {@code null} or missing field falls back to the configured default.
 */
@RestController
class LimitsController {

    private static final Set<String> FIELDS = Set.of("requests_per_minute", "tokens_per_minute", "concurrent_runs",
            "daily_credits", "monthly_credits", "images_per_minute", "images_per_day");

    private final LimitsService limits;
    private final ApiKeyService keys;

    LimitsController(LimitsService limits, ApiKeyService keys) {
        this.limits = limits;
        this.keys = keys;
    }

    @GetMapping("/api/limits")
    Map<String, Object> workspace(Principal principal) {
        principal.require(Permission.MANAGE_LIMITS);
        return view(ScopeType.WORKSPACE, principal.workspaceId());
    }

    @PutMapping("/api/limits")
    Map<String, Object> putWorkspace(Principal principal, @RequestBody JsonNode body) {
        principal.require(Permission.MANAGE_LIMITS);
        limits.put(ScopeType.WORKSPACE, principal.workspaceId(), principal.workspaceId(), parse(body));
        return view(ScopeType.WORKSPACE, principal.workspaceId());
    }

    @GetMapping("/api/keys/{id}/limits")
    Map<String, Object> key(Principal principal, @PathVariable String id) {
        principal.require(Permission.MANAGE_LIMITS);
        keys.get(principal, id); // 404 unless the key is in the caller's workspace
        return view(ScopeType.KEY, id);
    }

    @PutMapping("/api/keys/{id}/limits")
    Map<String, Object> putKey(Principal principal, @PathVariable String id, @RequestBody JsonNode body) {
        principal.require(Permission.MANAGE_LIMITS);
        keys.get(principal, id);
        limits.put(ScopeType.KEY, id, principal.workspaceId(), parse(body));
        return view(ScopeType.KEY, id);
    }

    private Map<String, Object> view(ScopeType type, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "limits");
        m.put("scope", type == ScopeType.WORKSPACE ? "workspace" : "api_key");
        m.put("id", id);
        m.put("override", fields(limits.stored(type, id)));
        m.put("effective", fields(limits.stored(type, id).orElse(limits.defaults(type))));
        return m;
    }

    private static Map<String, Object> fields(LimitSet l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests_per_minute", l.requestsPerMinute());
        m.put("tokens_per_minute", l.tokensPerMinute());
        m.put("concurrent_runs", l.concurrentRuns());
        m.put("daily_credits", l.dailyCredits() == null ? null : Money.format(l.dailyCredits()));
        m.put("monthly_credits", l.monthlyCredits() == null ? null : Money.format(l.monthlyCredits()));
        m.put("images_per_minute", l.imagesPerMinute());
        m.put("images_per_day", l.imagesPerDay());
        return m;
    }

    private static LimitSet parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw GatewayException.invalid("invalid_body", "send a JSON object with any of: " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw GatewayException.invalidField("unknown_field", "$." + name.replaceAll("[^A-Za-z0-9_]", "?"),
                        "unknown field; limits are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        return new LimitSet(count(body, "requests_per_minute"), count(body, "tokens_per_minute"),
                count(body, "concurrent_runs"), credits(body, "daily_credits"), credits(body, "monthly_credits"),
                count(body, "images_per_minute"), count(body, "images_per_day"));
    }

    private static Long count(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1 || n.asLong() > LimitsService.MAX_LIMIT) {
            throw GatewayException.invalidField("invalid_limit", "$." + name,
                    name + " must be an integer between 1 and " + LimitsService.MAX_LIMIT + ", or null for the default");
        }
        return n.asLong();
    }

    private static Long credits(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        String fix = name + " must be positive credits with at most 6 decimals (e.g. \"25.5\"), or null for the default";
        if (!(n.isString() || n.isNumber())) {
            throw GatewayException.invalidField("invalid_limit", "$." + name, fix);
        }
        String text = n.isString() ? n.asString().strip() : n.decimalValue().toPlainString();
        try {
            if (text.length() <= 24 && text.matches("[0-9]+(\\.[0-9]+)?")) {
                long micros = Money.parseCredits(text);
                if (micros > 0) {
                    return micros;
                }
            }
        } catch (RuntimeException e) {
            // fall through
        }
        throw GatewayException.invalidField("invalid_limit", "$." + name, fix);
    }
}
