package io.aimp.gateway.logs;

import io.aimp.gateway.auth.Principal;
import java.time.Instant;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Usage logs, execution logs and usage statistics for graphs. */
@RestController
class LogController {

    private final LogService logs;

    LogController(LogService logs) {
        this.logs = logs;
    }

    @GetMapping("/api/logs/usage")
    Map<String, Object> usage(Principal principal,
                              @RequestParam(required = false) String model,
                              @RequestParam(required = false) String status,
                              @RequestParam(name = "run_id", required = false) String runId,
                              @RequestParam(name = "key_id", required = false) String keyId,
                              @RequestParam(required = false) Instant from,
                              @RequestParam(required = false) Instant to,
                              @RequestParam(defaultValue = "50") int limit,
                              @RequestParam(defaultValue = "0") int offset) {
        var data = logs.usage(principal, new LogService.UsageFilter(model, status, runId, keyId, from, to, limit, offset));
        return Map.of("object", "list", "data", data, "limit", limit, "offset", offset);
    }

    @GetMapping("/api/logs/executions")
    Map<String, Object> executions(Principal principal, @RequestParam(name = "run_id", required = false) String runId) {
        return Map.of("object", "list", "data", logs.executions(principal, runId));
    }

    @GetMapping("/api/stats/usage")
    Map<String, Object> stats(Principal principal,
                              @RequestParam(required = false) String interval,
                              @RequestParam(name = "group_by", required = false) String groupBy,
                              @RequestParam(required = false) Instant from,
                              @RequestParam(required = false) Instant to) {
        return logs.stats(principal, interval, groupBy, from, to);
    }
}
