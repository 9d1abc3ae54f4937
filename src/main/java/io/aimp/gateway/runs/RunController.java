package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.Release;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
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

    /** IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Wed, 30 Jun 2027 00:00:00 GMT}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

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
                    .location(URI.create("/api/runs/" + outcome.run().id())).headers(deprecation(outcome))
                    .body(outcome.view());
            case RunService.RunOutcome outcome -> ResponseEntity.ok().headers(deprecation(outcome)).body(outcome.view());
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
    ResponseEntity<Map<String, Object>> get(Principal principal, @PathVariable String id) {
        RunService.RunOutcome outcome = runs.get(principal, id);
        return ResponseEntity.ok().headers(deprecation(outcome)).body(outcome.view());
    }

    /**
     * For a run of a deprecated release: {@code Deprecation} (RFC 9745, the date it was deprecated),
     * {@code Sunset} (RFC 8594, when it stops answering, if the catalog says) and a {@code Link} to the
     * model's marketplace page, where its releases and their notices are listed.
     */
    private HttpHeaders deprecation(RunService.RunOutcome outcome) {
        if (outcome.deprecation() == null) {
            return null; // the common case: no lookup, no headers object
        }
        RunRecord run = outcome.run();
        HttpHeaders h = new HttpHeaders();
        runs.releaseOf(run).filter(Release::isDeprecated).ifPresent(r -> {
            h.add("Deprecation", "@" + r.deprecatedAt().getEpochSecond());
            String page = "</api/marketplace/models/" + run.modelSlug() + ">";
            h.add(HttpHeaders.LINK, page + "; rel=\"deprecation\"; type=\"application/json\"");
            if (r.sunset() != null) {
                h.add("Sunset", HTTP_DATE.format(r.sunset().atZone(ZoneOffset.UTC)));
                h.add(HttpHeaders.LINK, page + "; rel=\"sunset\"; type=\"application/json\"");
            }
        });
        return h;
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
