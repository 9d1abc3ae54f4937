package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.logs.LogService;
import io.aimp.gateway.runs.RunService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The playground: side-by-side comparisons and evaluation suites for trusted roles, over the run pipeline.
 * Every run it makes is an ordinary run (permissions, limits, wallet, usage rows with {@code entry_point:
 * playground}) that is side-effect free: no saved content, no conversation, no vector change.
 */
@Service
public class PlaygroundService {

    private final RunService runs;
    private final Evaluations evaluations;

    PlaygroundService(RunService runs, LogService logs) {
        this.runs = runs;
        this.evaluations = new Evaluations(runs, logs);
    }

    /**
     * Runs a suite of cases against 1 to 8 targets and reports per case pass or fail with the reasons, per target
     * the pass rate and cost, and the total cost (judge runs included). Runs one at a time, in order.
     *
     * @throws GatewayException 403 without {@code use_playground}, 400 for a malformed suite (every problem with its
     *                          path), the limit or wallet refusal (402, 429) of any run
     */
    public Map<String, Object> evaluate(Principal principal, JsonNode body, String requestId) {
        principal.require(Permission.USE_PLAYGROUND);
        return evaluations.run(principal, PlaygroundRequests.evaluation(body), requestId);
    }

    /**
     * Runs one input against 2 to 8 targets in parallel. Every target is admitted first (limits taken, the
     * wallet reserved for all of them), so a wallet that cannot cover every target refuses the whole
     * comparison before any provider call; after that, a target that fails is reported next to the others.
     *
     * @throws GatewayException 403 without {@code use_playground}, 400 for a malformed request, the limit or
     *                          wallet refusal (402, 429) of any target
     */
    public Map<String, Object> compare(Principal principal, JsonNode body, String requestId) {
        principal.require(Permission.USE_PLAYGROUND);
        PlaygroundRequests.Compare req = PlaygroundRequests.compare(body);
        int n = req.targets().size();
        List<RunService.Admitted> admitted = new ArrayList<>();
        GatewayException[] refused = new GatewayException[n];
        try {
            for (int i = 0; i < n; i++) {
                Target t = req.targets().get(i);
                try {
                    admitted.add(TargetRuns.admit(runs, principal, t,
                            TargetRuns.body(t, req.input(), null, req.scope(), req.timeoutMs()), requestId));
                } catch (GatewayException e) {
                    if (TargetRuns.stopsTheRequest(e)) {
                        throw e;
                    }
                    admitted.add(null);
                    refused[i] = e;
                }
            }
        } catch (RuntimeException e) {
            admitted.stream().filter(a -> a != null).forEach(runs::release);
            throw e;
        }
        List<TargetRuns.Outcome> outcomes = runAll(principal, req.targets(), admitted, refused);
        List<Object> results = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            results.add(outcomes.get(i).view(i));
            total += outcomes.get(i).costMicros();
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "playground.comparison");
        view.put("results", results);
        view.put("succeeded", outcomes.stream().filter(TargetRuns.Outcome::succeeded).count());
        view.put("failed", outcomes.stream().filter(o -> !o.succeeded()).count());
        view.put("total_cost", Map.of("credits", Money.format(total)));
        return view;
    }

    /** Runs the admitted targets in parallel, one virtual thread each; a refused target is its refusal. */
    private List<TargetRuns.Outcome> runAll(Principal principal, List<Target> targets, List<RunService.Admitted> admitted,
                                            GatewayException[] refused) {
        List<Future<TargetRuns.Outcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                RunService.Admitted a = admitted.get(i);
                GatewayException r = refused[i];
                futures.add(pool.submit(() -> a == null ? new TargetRuns.Outcome(t, null, r, 0) : execute(runs, principal, t, a)));
            }
        }
        List<TargetRuns.Outcome> out = new ArrayList<>();
        for (Future<TargetRuns.Outcome> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the playground runs finished", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** Runs one admitted target; its failure is its result. */
    static TargetRuns.Outcome execute(RunService runs, Principal principal, Target t, RunService.Admitted a) {
        long start = System.nanoTime();
        try {
            RunService.RunOutcome o = runs.run(a);
            return new TargetRuns.Outcome(t, o.run(), null, latency(o.run().durationMs(), start));
        } catch (GatewayException e) {
            String runId = e.extensions().get("run_id") instanceof String id ? id : null;
            var failed = runId == null ? null : runs.get(principal, runId).run();
            return new TargetRuns.Outcome(t, failed, e, latency(failed == null ? null : failed.durationMs(), start));
        }
    }

    private static long latency(Long recorded, long startNanos) {
        return recorded != null ? recorded : (System.nanoTime() - startNanos) / 1_000_000;
    }
}
