package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/playground}: side-by-side comparisons and evaluation suites (developer role and up unless the workspace
 * set another), async suites to poll, and the workspace's playground settings (admins).
 */
@RestController
@RequestMapping("/api/playground")
class PlaygroundController {

    private static final String REQUEST_ID = "aimp.requestId";

    private final PlaygroundService playground;
    private final PlaygroundAccess access;

    PlaygroundController(PlaygroundService playground, PlaygroundAccess access) {
        this.playground = playground;
        this.access = access;
    }

    @PostMapping("/compare")
    ResponseEntity<Object> compare(Principal principal, @RequestBody JsonNode body,
                                   @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                   HttpServletRequest request) {
        return answer(playground.compare(principal, body, String.valueOf(request.getAttribute(REQUEST_ID)), idempotencyKey));
    }

    @PostMapping("/evaluations")
    ResponseEntity<Object> evaluate(Principal principal, @RequestBody JsonNode body,
                                    @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                    HttpServletRequest request) {
        return answer(playground.evaluate(principal, body, String.valueOf(request.getAttribute(REQUEST_ID)), idempotencyKey));
    }

    @GetMapping("/evaluations/{id}")
    Map<String, Object> evaluation(Principal principal, @PathVariable String id) {
        return playground.evaluation(principal, id);
    }

    @GetMapping("/settings")
    Map<String, Object> settings(Principal principal) {
        return access.settings(principal);
    }

    @PutMapping("/settings")
    Map<String, Object> putSettings(Principal principal, @RequestBody JsonNode body) {
        return access.put(principal, body);
    }

    private static ResponseEntity<Object> answer(PlaygroundService.Answer a) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(a.status());
        if (a.jobId() != null) {
            b.location(URI.create(PlaygroundService.location(a.jobId())));
        }
        if (a.replayed()) {
            b.header("Idempotent-Replayed", "true");
        }
        return b.body(a.body());
    }
}
