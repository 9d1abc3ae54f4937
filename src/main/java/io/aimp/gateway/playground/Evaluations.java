package io.aimp.gateway.playground;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Money;
import io.aimp.gateway.logs.LogService;
import io.aimp.gateway.runs.RunService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs an evaluation suite: each case against each target, in order (case by case, target by target), each run
 * admitted and charged like any playground run; then its expectations, and the judge's grade where a case asks
 * for one. A case that fails to run fails with its problem; the wallet or a limit refusing stops the suite, whose
 * report then says what ran and what did not.
 */
final class Evaluations {

    private final RunService runs;
    private final LogService logs;

    Evaluations(RunService runs, LogService logs) {
        this.runs = runs;
        this.logs = logs;
    }

    /**
     * Runs the suite. When the wallet or a limit refuses a run (402, 429), the suite stops there and the report is
     * partial: the cases that ran keep their results and costs, the rest are {@code not_run} with the refusal.
     */
    Map<String, Object> run(Principal principal, PlaygroundRequests.Evaluation suite, String requestId) {
        List<Map<String, Object>> results = new ArrayList<>();
        int targets = suite.targets().size();
        int[] passed = new int[targets];
        int[] notRun = new int[targets];
        long[] cost = new long[targets];
        long judgeCost = 0;
        GatewayException stopped = null;
        for (int c = 0; c < suite.cases().size(); c++) {
            PlaygroundRequests.Case kase = suite.cases().get(c);
            for (int t = 0; t < targets; t++) {
                Target target = suite.targets().get(t);
                if (stopped != null) {
                    notRun[t]++;
                    results.add(notRunView(c, kase, t, target, stopped));
                    continue;
                }
                CaseResult r;
                try {
                    r = runCase(principal, suite, kase, target, requestId);
                } catch (GatewayException e) {
                    if (!TargetRuns.stopsTheRequest(e)) {
                        throw e;
                    }
                    stopped = e;
                    notRun[t]++;
                    results.add(notRunView(c, kase, t, target, stopped));
                    continue;
                }
                passed[t] += r.passed() ? 1 : 0;
                cost[t] += r.outcome().costMicros();
                judgeCost += r.judgeCostMicros();
                results.add(r.view(c, kase, t));
                if (r.stop() != null) {
                    stopped = r.stop();
                }
            }
        }
        List<Map<String, Object>> perTarget = new ArrayList<>();
        long total = judgeCost;
        int cases = suite.cases().size();
        for (int t = 0; t < targets; t++) {
            Target target = suite.targets().get(t);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", t);
            m.put("model", target.model());
            m.put("release", target.release());
            m.put("cases", cases);
            m.put("passed", passed[t]);
            m.put("failed", cases - passed[t]);
            m.put("not_run", notRun[t]);
            m.put("pass_rate", cases == 0 ? 0.0 : Math.round(passed[t] * 10_000.0 / cases) / 10_000.0);
            m.put("cost", Map.of("credits", Money.format(cost[t])));
            perTarget.add(m);
            total += cost[t];
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "playground.evaluation");
        view.put("status", stopped == null ? "completed" : "stopped");
        view.put("stopped_by", stopped == null ? null : TargetRuns.problemView(stopped));
        view.put("targets", perTarget);
        view.put("results", results);
        view.put("judge_cost", Map.of("credits", Money.format(judgeCost)));
        view.put("total_cost", Map.of("credits", Money.format(total)));
        return view;
    }

    /** A case the suite did not run on a target, because {@code why} (the wallet or a limit) stopped it. */
    private static Map<String, Object> notRunView(int caseIndex, PlaygroundRequests.Case kase, int targetIndex,
                                                  Target target, GatewayException why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", caseIndex);
        m.put("name", kase.name());
        m.put("target", targetIndex);
        m.put("model", target.model());
        m.put("status", "not_run");
        m.put("passed", false);
        m.put("reasons", List.of("not run: " + why.code() + ": " + why.detail()));
        m.put("run_id", null);
        m.put("output", null);
        m.put("cost", Map.of("credits", Money.format(0)));
        m.put("latency_ms", 0);
        m.put("judge", null);
        m.put("problem", TargetRuns.problemView(why));
        return m;
    }

    /** One case on one target: its run, every failed expectation and the judge's grade. */
    private record CaseResult(TargetRuns.Outcome outcome, List<String> reasons, Map<String, Object> judge,
                              long judgeCostMicros, GatewayException stop) {

        CaseResult(TargetRuns.Outcome outcome, List<String> reasons, Map<String, Object> judge, long judgeCostMicros) {
            this(outcome, reasons, judge, judgeCostMicros, null);
        }

        boolean passed() {
            return outcome.succeeded() && reasons.isEmpty();
        }

        Map<String, Object> view(int caseIndex, PlaygroundRequests.Case kase, int targetIndex) {
            Map<String, Object> run = outcome.view(targetIndex);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", caseIndex);
            m.put("name", kase.name());
            m.put("target", targetIndex);
            m.put("model", run.get("model"));
            m.put("status", "ran");
            m.put("passed", passed());
            m.put("reasons", reasons);
            m.put("run_id", run.get("run_id"));
            m.put("output", run.get("output"));
            m.put("cost", run.get("cost"));
            m.put("latency_ms", run.get("latency_ms"));
            m.put("judge", judge);
            m.put("problem", run.get("problem"));
            return m;
        }
    }

    private CaseResult runCase(Principal principal, PlaygroundRequests.Evaluation suite, PlaygroundRequests.Case kase,
                               Target target, String requestId) {
        Target at = new Target(target.model(), target.mode(), target.release(), target.params(), target.overrides(),
                target.path());
        TargetRuns.Outcome outcome;
        try {
            RunService.Admitted admitted = TargetRuns.admit(runs, principal, at,
                    TargetRuns.body(at, kase.input(), kase.params(), suite.scope(), suite.timeoutMs()), requestId);
            outcome = PlaygroundService.execute(runs, principal, at, admitted);
        } catch (GatewayException e) {
            if (TargetRuns.stopsTheRequest(e)) {
                throw e;
            }
            outcome = new TargetRuns.Outcome(at, null, e, 0);
        }
        List<String> reasons = new ArrayList<>();
        if (!outcome.succeeded()) {
            reasons.add("the run failed: " + outcome.problem().code() + ": " + outcome.problem().detail());
            return new CaseResult(outcome, reasons, null, 0);
        }
        Expectations expect = kase.expect();
        reasons.addAll(expect.check(new Expectations.Observed(outcome.run().output(), outcome.run().costMicros(),
                outcome.latencyMs(), expect.toolCalled().isEmpty() ? List.of() : calls(principal, outcome.run().id()))));
        if (expect.judge() == null) {
            return new CaseResult(outcome, reasons, null, 0);
        }
        return judged(principal, suite, kase, outcome, reasons, requestId);
    }

    /** The tool calls an assistant run logged, in order. */
    private List<Expectations.Call> calls(Principal principal, String runId) {
        List<Expectations.Call> out = new ArrayList<>();
        for (Map<String, Object> e : logs.executions(principal, runId)) {
            if ("tool_call".equals(e.get("step")) && e.get("name") instanceof String name) {
                JsonNode detail = e.get("detail") instanceof JsonNode d ? d : null;
                out.add(new Expectations.Call(name, detail == null ? null : detail.get("arguments")));
            }
        }
        return out;
    }

    /** Asks the judge model to grade the answer: it answers PASS or FAIL on its first line, then why. */
    private CaseResult judged(Principal principal, PlaygroundRequests.Evaluation suite, PlaygroundRequests.Case kase,
                              TargetRuns.Outcome outcome, List<String> reasons, String requestId) {
        Expectations.Judge j = kase.expect().judge();
        String model = j.model() != null ? j.model() : suite.judgeModel();
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.put("text", """
                Grade the answer against the rubric. Reply with PASS or FAIL on the first line, then one sentence why.
                Rubric: %s
                Input: %s
                Answer: %s""".formatted(j.rubric(), kase.input(), Expectations.answer(outcome.run().output())));
        Target judgeTarget = new Target(model, null, null, null, null, kase.path() + ".expect.judge");
        TargetRuns.Outcome graded;
        try {
            RunService.Admitted admitted = TargetRuns.admit(runs, principal, judgeTarget,
                    TargetRuns.body(judgeTarget, input, null, null, suite.timeoutMs()), requestId);
            graded = PlaygroundService.execute(runs, principal, judgeTarget, admitted);
        } catch (GatewayException e) {
            if (TargetRuns.stopsTheRequest(e)) {
                // the case ran and is charged: it stays in the report, ungraded, and the suite stops after it
                Map<String, Object> judge = new LinkedHashMap<>();
                judge.put("model", model);
                judge.put("run_id", null);
                judge.put("cost", Map.of("credits", Money.format(0)));
                judge.put("verdict", null);
                reasons.add("judge: not run: " + e.code() + ": " + e.detail());
                return new CaseResult(outcome, reasons, judge, 0, e);
            }
            graded = new TargetRuns.Outcome(judgeTarget, null, e, 0);
        }
        Map<String, Object> judge = new LinkedHashMap<>();
        judge.put("model", model);
        judge.put("run_id", graded.run() == null ? null : graded.run().id());
        judge.put("cost", Map.of("credits", Money.format(graded.costMicros())));
        if (!graded.succeeded()) {
            judge.put("verdict", null);
            reasons.add("judge: the judge's run failed: " + graded.problem().code());
            return new CaseResult(outcome, reasons, judge, graded.costMicros());
        }
        String said = Expectations.answer(graded.run().output()).strip();
        String first = said.isEmpty() ? "" : said.split("\\s+", 2)[0].toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "");
        String verdict = first.equals("PASS") ? "pass" : first.equals("FAIL") ? "fail" : null;
        judge.put("verdict", verdict);
        judge.put("reason", said.length() > 500 ? said.substring(0, 500) : said);
        if (verdict == null) {
            reasons.add("judge: the judge answered neither PASS nor FAIL");
        } else if (verdict.equals("fail")) {
            reasons.add("judge: " + (said.length() > 200 ? said.substring(0, 200) : said));
        }
        return new CaseResult(outcome, reasons, judge, graded.costMicros());
    }
}
