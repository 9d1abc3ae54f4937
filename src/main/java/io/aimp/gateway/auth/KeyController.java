package io.aimp.gateway.auth;

import io.aimp.gateway.common.GatewayException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API key management (admin and up). The secret is in the creation response only. */
@RestController
@RequestMapping("/api/keys")
class KeyController {

    private final ApiKeyService keys;

    KeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(String name, String role, List<String> models, Instant expiresAt) {
    }

    record CreatedKeyResponse(ApiKeyService.KeyView key, String secret, String notice) {
    }

    @GetMapping
    Map<String, Object> list(Principal principal,
                             @RequestParam(name = "include_revoked", defaultValue = "false") boolean includeRevoked) {
        return Map.of("object", "list", "data", keys.list(principal, includeRevoked));
    }

    @GetMapping("/{id}")
    ApiKeyService.KeyView get(Principal principal, @PathVariable String id) {
        return keys.get(principal, id);
    }

    @PostMapping
    ResponseEntity<CreatedKeyResponse> create(Principal principal, @RequestBody CreateKeyRequest body) {
        Role role = body.role() == null ? null : Role.parse(body.role(), "$.role");
        var created = keys.create(principal, new ApiKeyService.CreateKey(body.name(), role,
                body.models() == null ? null : new LinkedHashSet<>(body.models()),
                epochMillis(body.expiresAt())));
        return ResponseEntity.created(URI.create("/api/keys/" + created.key().id()))
                .body(new CreatedKeyResponse(created.key(), created.secret(),
                        "store the secret now: it is shown only once"));
    }

    /** An instant outside the epoch-millisecond range (e.g. year 999999999) is a 400, not an overflow. */
    private static Long epochMillis(Instant at) {
        if (at == null) {
            return null;
        }
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw GatewayException.invalidField("invalid_expiry", "$.expires_at", "expires_at is out of range");
        }
    }

    @DeleteMapping("/{id}")
    ApiKeyService.KeyView revoke(Principal principal, @PathVariable String id) {
        return keys.revoke(principal, id);
    }
}
