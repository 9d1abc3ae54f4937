package io.aimp.gateway.workflows;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.BlocksHttpTest;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.KnowledgeBases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** prompt → condition → (search | model) → transform → output against the fake provider, over HTTP. */
@CheckedAgainstOpenApi
class WorkflowHttpTest extends BlocksHttpTest {

    @Test
    void should_take_the_search_branch_when_the_prompt_mentions_docs() {
        // given the echo provider answers the topic itself, which mentions docs, and the handbook scope of
        // the workspace's text-embed knowledge base (indexed with the in-process model) holds the answer
        KnowledgeBases.index(owner, "handbook", "keys-1", "keys.md", "Rotate an API key: create a new key, then revoke the old one.");
        // when
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "router-flow",
                "input", Map.of("topic", "docs: rotating keys")));
        // then
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode run = r.json();
        assertThat(run.path("output").path("answer").asString()).isEqualTo("Rotate an API key: create a new key, then revoke the old one.");
        assertThat(run.path("output").path("route").asString()).isEqualTo("then");
        List<JsonNode> blocks = blockSteps(run.path("id").asString());
        assertThat(blocks).extracting(b -> b.path("name").asString() + ":" + b.path("outcome").asString())
                .containsExactly("classify:succeeded", "route:succeeded", "delegate:skipped", "lookup:succeeded",
                        "shape:succeeded", "out:succeeded");
        assertTimed(blocks);
        assertThat(usageOfChildren(run.path("id").asString())).isEmpty();
    }

    @Test
    void should_take_the_model_branch_and_charge_the_nested_run_with_the_parent_run_id() {
        // when
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "router-flow",
                "input", Map.of("topic", "tell me a joke")));
        // then
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode run = r.json();
        String id = run.path("id").asString();
        assertThat(run.path("output").path("answer").asString()).isEqualTo("Fake provider answer.");
        assertThat(run.path("output").path("route").asString()).isEqualTo("else");
        List<JsonNode> blocks = blockSteps(id);
        assertThat(blocks).extracting(b -> b.path("name").asString() + ":" + b.path("outcome").asString())
                .containsExactly("classify:succeeded", "route:succeeded", "lookup:skipped", "delegate:succeeded",
                        "shape:succeeded", "out:succeeded");
        assertTimed(blocks);
        JsonNode delegate = blocks.get(3).path("detail");
        assertThat(delegate.path("run_id").asString()).startsWith("run_");
        assertThat(delegate.path("cost_micros").asLong()).isEqualTo(10_000);
        assertThat(delegate.path("inputs").path("text").path("chars").asInt()).isEqualTo("tell me a joke".length());
        assertThat(delegate.toString()).doesNotContain("joke");
        List<JsonNode> children = usageOfChildren(id);
        assertThat(children).hasSize(1);
        assertThat(children.getFirst().path("entry_point").asString()).isEqualTo("workflow");
        JsonNode child = owner.get("/api/runs/" + delegate.path("run_id").asString()).json();
        assertThat(child.path("parent_run_id").asString()).isEqualTo(id);
        assertThat(child.path("entry_point").asString()).isEqualTo("workflow");
        assertThat(children.getFirst().path("credits").asString()).isEqualTo("0.010000");
        assertThat(children.getFirst().path("run_id").asString()).isEqualTo(delegate.path("run_id").asString());
    }

    @Test
    void should_fail_the_run_naming_the_block_unless_it_declares_a_fallback() {
        // given the nested model fails on inputs containing fail-me; "ask" has a fallback, "must" (after it) has none
        FAKE.failMarked(true);
        // when
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "broken-flow",
                "input", Map.of("topic", "fail-me")));
        // then
        JsonNode problem = assertProblem(r, 502, "block_failed", "execution");
        assertThat(problem.path("block").asString()).isEqualTo("must");
        assertThat(problem.path("detail").asString()).contains("block must (model) failed");
        List<JsonNode> blocks = blockSteps(problem.path("run_id").asString());
        assertThat(blocks).extracting(b -> b.path("name").asString() + ":" + b.path("outcome").asString())
                .containsExactly("ask:failed", "rescue:succeeded", "must:failed");
    }

    @Test
    void should_run_asynchronously_like_any_run() {
        // given the handbook the search branch reads (each test indexes what it reads: tests run in any order)
        KnowledgeBases.index(owner, "handbook", "keys-1", "keys.md", "Rotate an API key: create a new key, then revoke the old one.");
        GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "router-flow",
                "input", Map.of("topic", "docs please"), "options", Map.of("async", true)));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        String id = r.get("id");
        // a queued run waits for a worker: the bound leaves room for a loaded machine
        GatewayClient.Response done = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
                .until(() -> owner.get("/api/runs/" + id),
                        run -> java.util.Set.of("succeeded", "failed", "canceled").contains(run.get("status")));
        assertThat(done.get("status")).as(done.describe()).isEqualTo("succeeded");
        assertThat(done.json().path("output").path("route").asString()).isEqualTo("then");
    }

    private List<JsonNode> blockSteps(String runId) {
        JsonNode logs = owner.get("/api/logs/executions?run_id=" + runId).json();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : logs.path("data")) {
            if ("block".equals(e.path("step").asString())) {
                out.add(e);
            }
        }
        return out;
    }

    private static void assertTimed(List<JsonNode> blocks) {
        long previousStart = -1;
        for (JsonNode b : blocks) {
            if (!"skipped".equals(b.path("outcome").asString())) {
                assertThat(b.path("latency_ms").isNumber()).isTrue();
                long start = b.path("detail").path("started_ms").asLong();
                assertThat(start).isGreaterThanOrEqualTo(previousStart);
                previousStart = start;
                assertThat(b.path("detail").path("output_bytes").asInt()).isPositive();
            }
        }
    }

    private List<JsonNode> usageOfChildren(String parentRunId) {
        JsonNode usage = owner.get("/api/logs/usage?limit=200").json();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode u : usage.path("data")) {
            if (parentRunId.equals(u.path("parent_run_id").asString(null))) {
                out.add(u);
            }
        }
        return out;
    }
}
