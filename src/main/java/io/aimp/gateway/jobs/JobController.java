package io.aimp.gateway.jobs;

import io.aimp.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
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

/** {@code /api/jobs}: bulk execution of one model over many inputs. */
@RestController
@RequestMapping("/api/jobs")
class JobController {

    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @PostMapping
    ResponseEntity<Object> create(Principal principal, @RequestBody JsonNode body,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                  HttpServletRequest request) {
        JobService.Accepted job = jobs.create(principal, body, String.valueOf(request.getAttribute("aimp.requestId")),
                idempotencyKey);
        var answer = ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.jobId()));
        if (job.replayed()) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(job.body());
    }

    @GetMapping
    Map<String, Object> list(Principal principal, @RequestParam(required = false) String status,
                             @RequestParam(defaultValue = "20") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        return jobs.list(principal, status, limit, offset);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal principal, @PathVariable String id) {
        return jobs.get(principal, id);
    }

    @GetMapping("/{id}/items")
    Map<String, Object> items(Principal principal, @PathVariable String id,
                              @RequestParam(required = false) String status,
                              @RequestParam(defaultValue = "50") int limit,
                              @RequestParam(defaultValue = "0") int offset) {
        return jobs.items(principal, id, status, limit, offset);
    }

    @PostMapping("/{id}/cancel")
    Map<String, Object> cancel(Principal principal, @PathVariable String id) {
        return jobs.cancel(principal, id);
    }

    @PostMapping("/{id}/resume")
    Map<String, Object> resume(Principal principal, @PathVariable String id) {
        return jobs.resume(principal, id);
    }
}
