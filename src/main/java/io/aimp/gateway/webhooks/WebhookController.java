package io.aimp.gateway.webhooks;

import io.aimp.gateway.auth.Principal;
import java.net.URI;
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
import tools.jackson.databind.JsonNode;

/** {@code /api/webhooks/endpoints}: where a workspace's events are sent (admins). */
@RestController
@RequestMapping("/api/webhooks/endpoints")
class WebhookController {

    private final WebhookService webhooks;

    WebhookController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Principal principal, @RequestBody JsonNode body) {
        Map<String, Object> created = webhooks.create(principal, body);
        return ResponseEntity.created(URI.create("/api/webhooks/endpoints/" + created.get("id"))).body(created);
    }

    @GetMapping
    Map<String, Object> list(Principal principal) {
        return webhooks.list(principal);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal principal, @PathVariable String id) {
        return webhooks.get(principal, id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Principal principal, @PathVariable String id) {
        webhooks.delete(principal, id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    Map<String, Object> deliveries(Principal principal, @PathVariable String id,
                                   @RequestParam(defaultValue = "20") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return webhooks.deliveries(principal, id, limit, offset);
    }

    @PostMapping("/{id}/ping")
    ResponseEntity<Map<String, Object>> ping(Principal principal, @PathVariable String id) {
        return ResponseEntity.accepted().body(webhooks.ping(principal, id));
    }
}
