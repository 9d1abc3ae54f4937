package io.aimp.gateway.assistants;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static io.aimp.gateway.support.ScriptedOpenAi.toolCall;
import static io.aimp.gateway.support.ScriptedOpenAi.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.AgentsHttpTest;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.KnowledgeBases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Assistant runs: the tool loop over a scripted provider, its execution log, charges and limits. */
@CheckedAgainstOpenApi
class AssistantHttpTest extends AgentsHttpTest {

    private JsonNode log(String runId) {
        return owner.get("/api/logs/executions?run_id=" + runId).json().path("data");
    }

    private static List<JsonNode> steps(JsonNode log, String step) {
        List<JsonNode> out = new ArrayList<>();
        log.forEach(e -> {
            if (e.path("step").asString().equals(step)) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void should_search_run_a_model_run_code_and_answer_with_every_step_logged_and_charged() {
        // given
        KnowledgeBases.index(owner, "policies", "pol-1", "policy.md", "Refund requests are answered within five days.");
        PROVIDER.script("assistant",
                toolCall("call_1", "knowledge_search", "{\"query\":\"refund requests answered\"}", 10, 2),
                toolCall("call_2", "run_model", "{\"model\":\"demo-model\",\"input\":{\"text\":\"Refunds take five days.\"}}", 20, 3),
                toolCall("call_3", "run_code", "{\"code\":\"6 * 7\"}", 30, 4),
                text("Refunds take five days; the answer is 42.", 40, 5));

        // when
        Response r = owner.post("/api/runs", Map.of("model", "helper", "input", Map.of("message", "How long do refunds take?")));

        // then: the output and the summed usage of four provider steps
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode run = r.json();
        String runId = run.path("id").asString();
        assertThat(run.path("output").path("answer").asString()).isEqualTo("Refunds take five days; the answer is 42.");
        assertThat(run.path("output").path("steps").asInt()).isEqualTo(4);
        assertThat(run.path("output").path("tool_calls").asInt()).isEqualTo(3);
        // four provider steps' 100 input tokens and the 6 tokens of the search query's embedding
        assertThat(run.path("usage").path("input_tokens").asLong()).isEqualTo(100 + 6);
        assertThat(run.path("usage").path("output_tokens").asLong()).isEqualTo(14);
        // 100 input tokens at 1 credit per 1k + 14 output tokens at 2 per 1k + one embedded query at 0.0001
        assertThat(run.path("cost").path("credits").asString()).isEqualTo("0.128100");

        // then: the tools' answers went back to the provider
        List<JsonNode> requests = PROVIDER.requests("assistant");
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).path("tools").findValuesAsString("name"))
                .containsExactlyInAnyOrder("knowledge_search", "run_model", "http_get", "run_code");
        JsonNode last = requests.get(3).path("messages");
        List<String> toolResults = new ArrayList<>();
        last.forEach(m -> {
            if (m.path("role").asString().equals("tool")) {
                toolResults.add(m.path("content").asString());
            }
        });
        assertThat(toolResults).hasSize(3);
        JsonNode passage = GatewayClient.JSON.readTree(toolResults.get(0)).path("passages").get(0);
        assertThat(passage.path("text").asString()).isEqualTo("Refund requests are answered within five days.");
        assertThat(passage.path("source").asString()).isEqualTo("policy.md");
        assertThat(toolResults.get(1)).contains("Refunds take five days.");
        assertThat(toolResults.get(2)).contains("\"result\":\"42\"");

        // then: the nested run is its own charged run with the parent's id
        String nested = GatewayClientJson.read(toolResults.get(1)).path("run_id").asString();
        JsonNode nestedRun = owner.get("/api/runs/" + nested).json();
        assertThat(nestedRun.path("status").asString()).isEqualTo("succeeded");
        assertThat(nestedRun.path("model").asString()).isEqualTo("demo-model");
        JsonNode nestedUsage = owner.get("/api/logs/usage?run_id=" + nested).json().path("data").get(0);
        assertThat(nestedUsage.path("parent_run_id").asString()).isEqualTo(runId);
        assertThat(nestedUsage.path("credits").asString()).isEqualTo("0.001000");
        assertThat(nestedUsage.path("entry_point").asString()).isEqualTo("assistant");

        // then: four provider steps and three tool calls in the execution log, with redacted inputs
        JsonNode log = log(runId);
        assertThat(steps(log, "provider_step")).hasSize(4);
        List<JsonNode> tools = steps(log, "tool_call");
        assertThat(tools).extracting(e -> e.path("name").asString())
                .containsExactly("knowledge_search", "run_model", "run_code");
        assertThat(tools).allSatisfy(e -> assertThat(e.path("outcome").asString()).isEqualTo("ok"));
        assertThat(tools.get(2).path("detail").path("arguments").path("code").asString()).isEqualTo("6 * 7");
        assertThat(tools).allSatisfy(e -> assertThat(e.path("latency_ms").isIntegralNumber()).isTrue());
    }

    @Test
    void should_end_a_spinning_script_as_a_tool_error_and_keep_serving() {
        PROVIDER.script("assistant",
                toolCall("call_1", "run_code", "{\"code\":\"while (true) {}\"}", 5, 1),
                toolCall("call_2", "http_get", "{\"url\":\"http://169.254.169.254/latest/meta-data/?token=abc\"}", 5, 1),
                text("The script ran out of time.", 5, 1));

        Response r = owner.post("/api/runs", Map.of("model", "helper", "input", Map.of("message", "Spin")));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        List<JsonNode> tools = steps(log(r.json().path("id").asString()), "tool_call");
        assertThat(tools).extracting(e -> e.path("outcome").asString()).containsExactly("error", "error");
        assertThat(tools.get(0).path("detail").path("error").asString()).contains("limit");
        // ended by its 800 ms limit, not by the run's 60 s deadline (a bound with room for a loaded machine that
        // also builds the sandbox here; CodeSandboxTest measures the limit's accuracy)
        assertThat(tools.get(0).path("latency_ms").asLong()).isLessThan(30_000);
        assertThat(tools.get(1).path("detail").path("arguments").path("url").asString())
                .isEqualTo("http://169.254.169.254/latest/meta-data/");
        assertThat(owner.get("/api/status").status()).isEqualTo(200);
    }

    @Test
    void should_fail_with_an_execution_problem_when_the_provider_never_stops_calling_tools() {
        PROVIDER.script("loop", toolCall("call_x", "run_code", "{\"code\":\"1\"}", 7, 1));

        Response r = owner.post("/api/runs", Map.of("model", "looper", "input", Map.of("message", "Loop")));

        JsonNode p = assertProblem(r, 502, "step_limit_reached", "execution");
        assertThat(PROVIDER.requests("loop")).hasSize(3);
        String runId = p.path("run_id").asString();
        // the failed run still pays for its three provider steps: 7 input tokens each at 1 credit per 1k
        assertThat(owner.get("/api/runs/" + runId).json().path("cost").path("credits").asString()).isEqualTo("0.021000");
        assertThat(steps(log(runId), "tool_call")).hasSize(3);
    }

    @Autowired
    AssistantExecutor executor;

    private static final String SPIN = "{\"code\":\"while (true) {}\"}";

    private static List<String> outcomes(List<JsonNode> toolCalls) {
        return toolCalls.stream().map(e -> e.path("outcome").asString()).toList();
    }

    @Test
    void should_run_no_tool_call_past_the_runs_deadline() {
        // given: a model that asks for eight runaway scripts at once, each allowed the sandbox's 2 s
        PROVIDER.script("code", toolCalls("run_code", SPIN, 8, 5, 1));
        long startedBefore = executor.codeSandbox().started();
        long t0 = System.nanoTime();

        // when: the run may take 1 s in all
        Response r = owner.post("/api/runs", Map.of("model", "coder", "input", Map.of("message", "Spin"),
                "options", Map.of("timeout_ms", 1000)));

        // then: it ends at its deadline, not after 8 × 2 s of scripts
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        JsonNode p = assertProblem(r, 504, "run_timeout", "execution");
        String runId = p.path("run_id").asString();
        long durationMs = owner.get("/api/runs/" + runId).json().path("duration_ms").asLong();
        // the figure of this machine, for the record (the bounds leave room for a loaded one)
        System.out.printf("deadline figure: timeout_ms 1000 with 8 runaway tool calls: run %d ms, answer %d ms%n",
                durationMs, took.toMillis());
        assertThat(durationMs).isLessThan(3_000);
        assertThat(took).isLessThan(Duration.ofSeconds(8));
        // the first script ran until the deadline; no other one started
        List<JsonNode> tools = steps(log(runId), "tool_call");
        assertThat(tools).hasSize(8);
        long executed = outcomes(tools).stream().filter(o -> !o.equals("skipped")).count();
        assertThat(executed).isLessThanOrEqualTo(1);
        assertThat(executor.codeSandbox().started() - startedBefore).isEqualTo(executed);
        assertThat(tools.getLast().path("detail").path("error").asString()).contains("not executed")
                .contains("the run's time limit was reached");
    }

    @Test
    void should_answer_the_calls_a_step_makes_past_its_cap_as_not_executed() {
        // given: helper may make 4 tool calls per step (the default); the model asks for 6
        PROVIDER.script("assistant", toolCalls("run_code", "{\"code\":\"1 + 1\"}", 6, 5, 1), text("Two.", 5, 1));
        long startedBefore = executor.codeSandbox().started();

        // when
        Response r = owner.post("/api/runs", Map.of("model", "helper", "input", Map.of("message", "Add")));

        // then: four ran, the model was told the other two did not, and the run went on
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("output").path("tool_calls").asInt()).isEqualTo(4);
        assertThat(executor.codeSandbox().started() - startedBefore).isEqualTo(4);
        List<JsonNode> tools = steps(log(r.json().path("id").asString()), "tool_call");
        assertThat(outcomes(tools)).containsExactly("ok", "ok", "ok", "ok", "skipped", "skipped");
        List<String> answered = new ArrayList<>();
        PROVIDER.requests("assistant").get(1).path("messages").forEach(m -> {
            if (m.path("role").asString().equals("tool")) {
                answered.add(m.path("tool_call_id").asString() + " " + m.path("content").asString());
            }
        });
        assertThat(answered).hasSize(6);
        assertThat(answered.subList(0, 4)).allSatisfy(a -> assertThat(a).contains("\"result\":\"2\""));
        assertThat(answered.subList(4, 6)).allSatisfy(a -> assertThat(a).contains("not executed")
                .contains("at most 4 tool calls (assistant.max_tool_calls_per_step)"));
    }

    @Test
    void should_run_another_workspaces_script_while_two_busy_runs_hold_the_sandbox() throws Exception {
        // given: two runs of this workspace keep two of the three sandbox threads busy with runaway scripts for 20 s
        PROVIDER.script("code", toolCalls("run_code", SPIN, 8, 5, 1));
        PROVIDER.script("quick", toolCall("call_q", "run_code", "{\"code\":\"1 + 1\"}", 5, 1), text("Two.", 5, 1));
        GatewayClient other = otherWorkspace();
        long startedBefore = executor.codeSandbox().started();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> busy = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                busy.add(callers.submit(() -> owner.post("/api/runs", Map.of("model", "coder",
                        "input", Map.of("message", "Spin"), "options", Map.of("timeout_ms", 20000)))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> executor.codeSandbox().started() - startedBefore >= 2);

            // when: another workspace runs 1 + 1
            long q0 = System.nanoTime();
            Response quick = other.post("/api/runs", Map.of("model", "quick-coder", "input", Map.of("message", "Add")));
            System.out.printf("fairness figure: another workspace's 1 + 1 answered in %d ms while two busy runs held two sandbox threads%n",
                    (System.nanoTime() - q0) / 1_000_000);

            // then: it ran on the thread kept for a workspace with nothing running, while both busy runs still go on
            assertThat(quick.status()).as(quick.describe()).isEqualTo(200);
            assertThat(busy).as("busy runs finished before the other workspace's answer").noneMatch(Future::isDone);
            String toolResult = PROVIDER.requests("quick").get(1).path("messages").get(2).path("content").asString();
            assertThat(toolResult).contains("\"result\":\"2\"");
            for (Future<Response> f : busy) {
                assertProblem(f.get(), 504, "run_timeout", "execution");
            }
        }
    }

    private String upload(String filename, String contentType, byte[] bytes) {
        Response init = owner.post("/api/media/upload/init", Map.of("filename", filename, "content_type", contentType,
                "media_type", "file", "size_bytes", bytes.length));
        assertThat(init.status()).as(init.describe()).isEqualTo(201);
        Response put = anonymous.send("PUT", java.net.URI.create(init.get("upload_url")).getRawPath(),
                "application/octet-stream", bytes);
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        Response done = owner.post("/api/media/upload/complete", Map.of("upload_id", init.get("upload_id")));
        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        return done.get("media_ref");
    }

    private static byte[] pdf(String line) throws java.io.IOException {
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument(); var out = new java.io.ByteArrayOutputStream()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText(line);
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void should_give_the_assistant_the_text_of_its_markdown_and_pdf_files() throws Exception {
        String md = upload("notes.md", "text/markdown", "# Notes\nThe warehouse opens at nine.".getBytes());
        String doc = upload("terms.pdf", "application/pdf", pdf("Returns are accepted for thirty days."));
        PROVIDER.script("assistant", text("Nine, and thirty days.", 5, 1));

        Response r = owner.post("/api/runs", Map.of("model", "helper", "input", Map.of("message", "When?",
                "files", List.of(Map.of("media_ref", md, "filename", "notes.md"), Map.of("media_ref", doc, "filename", "terms.pdf")))));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String system = PROVIDER.requests("assistant").getFirst().path("messages").get(0).path("content").asString();
        assertThat(system).contains("Help the user.").contains("<file name=\"notes.md\">")
                .contains("The warehouse opens at nine.").contains("Returns are accepted for thirty days.");
    }

    /** Parses a tool result. */
    static final class GatewayClientJson {
        static JsonNode read(String s) {
            return io.aimp.gateway.support.GatewayClient.JSON.readTree(s);
        }
    }
}
