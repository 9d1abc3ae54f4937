package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/playground}: side-by-side comparisons and evaluation suites (developer role and up). */
@RestController
@RequestMapping("/api/playground")
class PlaygroundController {

    private static final String REQUEST_ID = "aimp.requestId";

    private final PlaygroundService playground;

    PlaygroundController(PlaygroundService playground) {
        this.playground = playground;
    }

    @PostMapping("/compare")
    Map<String, Object> compare(Principal principal, @RequestBody JsonNode body, HttpServletRequest request) {
        return playground.compare(principal, body, String.valueOf(request.getAttribute(REQUEST_ID)));
    }

    @PostMapping("/evaluations")
    Map<String, Object> evaluate(Principal principal, @RequestBody JsonNode body, HttpServletRequest request) {
        return playground.evaluate(principal, body, String.valueOf(request.getAttribute(REQUEST_ID)));
    }
}
