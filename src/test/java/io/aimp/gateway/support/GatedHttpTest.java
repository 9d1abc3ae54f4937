package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A running gateway whose models route to {@link GatedOpenAi}, for tests of queued and background
 * work: each model has its own provider path, so a test can hold or count one model's provider calls.
 * {@code gated-text}, {@code slow-text}, {@code cap-text}, {@code nested-text} (text, 0.01 per run) and
 * {@code gated-flow} (a free workflow whose one block runs {@code nested-text}).
 */
public abstract class GatedHttpTest extends GatewayHttpTest {

    protected static final GatedOpenAi GATED = new GatedOpenAi();
    private static final String[] TEXT_MODELS = {"gated", "slow", "cap", "nested"};
    private static final Path CATALOG = writeCatalog();

    @DynamicPropertySource
    static void gatedProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        for (String name : new String[] {"gated", "slow", "cap", "nested", "flow"}) {
            registry.add("aimp.providers.gated-" + name + ".type", () -> "openai");
            registry.add("aimp.providers.gated-" + name + ".base-url", () -> GATED.baseUrl(name));
            registry.add("aimp.providers.gated-" + name + ".api-key", () -> "sk-test-provider-key-000000000000");
        }
        registry.add("aimp.jobs.max-in-flight-per-workspace", () -> "5");
        registry.add("aimp.jobs.workers", () -> "4");
    }

    @AfterEach
    void openGates() {
        GATED.reset();
    }

    /** A workspace of its own, its owner signed in, its wallet topped up with {@code credits}. */
    public record Tenant(String id, GatewayClient owner, TestAccounts accounts) {

        public String balance() {
            GatewayClient.Response r = owner.get("/api/billing/wallet");
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            return r.get("balance");
        }

        /** Sets limits of one key (e.g. {@code concurrent_runs}). */
        public void keyLimits(String keyId, Map<String, ?> limits) {
            GatewayClient.Response r = owner.json("PUT", "/api/keys/" + keyId + "/limits", limits);
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
        }
    }

    protected Tenant tenant(String credits) {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Gated " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        String wsId = ws.get("id");
        GatewayClient owner = anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), wsId).accessToken());
        GatewayClient.Response top = owner.post("/api/billing/wallet/credits", Map.of("amount", credits, "reason", "test"));
        assertThat(top.status()).as(top.describe()).isEqualTo(200);
        return new Tenant(wsId, owner, new TestAccounts(owner));
    }

    /** {@code POST /api/runs} with {@code options.async: true}; asserts the 202 and returns the run id. */
    protected static String submitAsync(GatewayClient client, String model, Map<String, ?> input) {
        GatewayClient.Response r = client.post("/api/runs", Map.of("model", model, "input", input, "options", Map.of("async", true)));
        assertThat(r.status()).as(r.describe()).isEqualTo(202);
        return r.get("id");
    }

    /** Waits until the run is succeeded, failed or canceled, and returns it. */
    protected static JsonNode awaitRunEnd(GatewayClient client, String runId) {
        JsonNode[] last = {null};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = client.get("/api/runs/" + runId).json();
            return Map.of("succeeded", 1, "failed", 1, "canceled", 1).containsKey(last[0].path("status").asString());
        });
        return last[0];
    }

    private static Path writeCatalog() {
        Path dir = TestSecrets.tempDir("aimp-gated-catalog-");
        for (String name : TEXT_MODELS) {
            BlocksHttpTest.write(dir, name + ".yaml", """
                    slug: %s-text
                    name: %s text
                    kind: text
                    description: answers from the gated fake provider path %s
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: gated-%s, model: g, timeout_ms: 60000}]
                        pricing: {per_run: 0.01}
                    text: {prompt: "{{input.text}}"}
                    """.formatted(name, name, name, name));
        }
        BlocksHttpTest.write(dir, "gated-flow.yaml", """
                slug: gated-flow
                name: Gated flow
                kind: workflow
                description: one block that runs nested-text
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [topic], properties: {topic: {type: string}}}
                    output: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: gated-flow, model: f, timeout_ms: 60000}]
                workflow:
                  blocks:
                    ask: {type: model, model: nested-text, input: {text: "{{input.topic}}"}}
                    out: {type: output, from: ask}
                """);
        return dir;
    }
}
