package io.aimp.gateway.runs;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.Release;
import io.aimp.gateway.common.JsonAnswer;
import io.aimp.gateway.common.LeanRoute;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Enumeration;
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

/**
 * {@code /api/runs}: execute a published model, read runs, cancel one. {@code POST /api/runs} is also a
 * {@link LeanRoute}: the HTTP edge answers its plain form itself, through the same {@link #submit}.
 */
@RestController
@RequestMapping("/api/runs")
class RunController implements LeanRoute<Principal> {

    private static final String REQUEST_ID = "aimp.requestId";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Wed, 30 Jun 2027 00:00:00 GMT}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    private final RunService runs;

    RunController(RunService runs) {
        this.runs = runs;
    }

    @PostMapping
    ResponseEntity<Object> create(Principal principal, @RequestBody JsonNode body,
                                  @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                  HttpServletRequest request) {
        return submit(principal, body, idempotencyKey, request).entity();
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/api/runs";
    }

    /** {@code POST /api/runs} answered by the edge itself: the same {@link #submit} as {@link #create}. */
    @Override
    public JsonAnswer answer(Principal principal, JsonNode body, HttpServletRequest request) {
        return submit(principal, body, idempotencyKey(request), request);
    }

    /** The header as the controller method receives it: several values are joined with commas. */
    private static String idempotencyKey(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(IDEMPOTENCY_KEY);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements()) {
            joined.append(',').append(values.nextElement());
        }
        return joined.toString();
    }

    private JsonAnswer submit(Principal principal, JsonNode body, String idempotencyKey, HttpServletRequest request) {
        var result = runs.submit(principal, body,
                new RunService.Entry(String.valueOf(request.getAttribute(REQUEST_ID)), "rest", idempotencyKey, null));
        return switch (result) {
            case RunService.RunOutcome outcome when outcome.run().status() == RunStatus.QUEUED -> {
                HttpHeaders h = deprecation(outcome);
                h = h == null ? new HttpHeaders() : h;
                h.setLocation(URI.create("/api/runs/" + outcome.run().id()));
                yield new JsonAnswer(202, h, outcome.view());
            }
            case RunService.RunOutcome outcome -> new JsonAnswer(200, deprecation(outcome), outcome.view());
            case RunService.Replayed replay -> {
                HttpHeaders h = new HttpHeaders();
                h.add("Idempotent-Replayed", "true");
                if (replay.status() == 202) {
                    h.setLocation(URI.create("/api/runs/" + replay.runId()));
                }
                yield new JsonAnswer(replay.status(), h, replay.body());
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
