package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/runs}: execute a published model, read runs, cancel one. */
@RestController
@RequestMapping("/api/runs")
class RunController {

    private static final String REQUEST_ID = "aimp.requestId";

    private final RunService runs;

    RunController(RunService runs) {
        this.runs = runs;
    }

    @PostMapping
    ResponseEntity<Object> create(Principal principal, @RequestBody JsonNode body,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                               HttpServletRequest request) {
        var result = runs.submit(principal, body,
                new RunService.Entry(String.valueOf(request.getAttribute(REQUEST_ID)), "rest", idempotencyKey, null));
        return switch (result) {
            case RunService.RunOutcome outcome when outcome.run().status() == RunStatus.QUEUED -> ResponseEntity.accepted()
                    .location(URI.create("/api/runs/" + outcome.run().id())).body(outcome.view());
            case RunService.RunOutcome outcome -> ResponseEntity.ok(outcome.view());
            case RunService.Replayed replay -> {
                var b = ResponseEntity.status(replay.status()).header("Idempotent-Replayed", "true");
                if (replay.status() == 202) {
                    b.location(URI.create("/api/runs/" + replay.runId()));
                }
                yield b.body(replay.body());
            }
        };
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal principal, @PathVariable String id) {
        return runs.get(principal, id).view();
    }

    @GetMapping
    Map<String, Object> list(Principal principal,
                             @RequestParam(required = false) String model,
                             @RequestParam(required = false) String mode,
                             @RequestParam(required = false) String status,
                             @RequestParam(required = false) Instant from,
                             @RequestParam(required = false) Instant to,
                             @RequestParam(defaultValue = "20") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        List<Map<String, Object>> data = runs.list(principal, model, mode, status,
                        from == null ? null : from.toEpochMilli(), to == null ? null : to.toEpochMilli(), limit, offset)
                .stream().map(RunService.RunOutcome::view).toList();
        return Map.of("object", "list", "data", data, "limit", limit, "offset", offset);
    }

    @PostMapping("/{id}/cancel")
    Map<String, Object> cancel(Principal principal, @PathVariable String id) {
        return runs.cancel(principal, id).view();
    }
}
