package io.aimp.gateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.FakeOpenAi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.TestAccounts;
import java.util.Map;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running gateway with a test catalog whose models route to a fake OpenAI-compatible provider:
 * {@code fake-ok}, {@code fake-500}, {@code fake-400} and {@code fake-slow} (see {@link FakeOpenAi});
 * {@code slow-only-model} answers only after two seconds.
 */
abstract class RunsHttpTest extends GatewayHttpTest {

    static final FakeOpenAi FAKE = new FakeOpenAi();
    static final Path CATALOG = writeCatalog();

    @DynamicPropertySource
    static void runsProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        Map<String, String> providers = Map.of("ok", "fake-ok", "fail500", "fake-500", "bad400", "fake-400",
                "slow", "fake-slow", "json", "fake-json", "badjson", "fake-badjson");
        for (String b : providers.keySet()) {
            String name = providers.get(b);
            registry.add("aimp.providers." + name + ".type", () -> "openai");
            registry.add("aimp.providers." + name + ".base-url", () -> FAKE.baseUrl(b));
            registry.add("aimp.providers." + name + ".api-key", () -> "sk-test-provider-key-000000000000");
        }
        registry.add("aimp.router.backoff-base", () -> "5ms");
        // the classes of this context share its breakers, in any order: the failing models' tries must not open
        // them for the next class (breakers are RouterTest's, RouterHttpTest's and RouterDeadlineTest's)
        registry.add("aimp.router.circuit-window", () -> "1000");
        registry.add("aimp.router.circuit-minimum-calls", () -> "1000");
    }

    /** A client of a second workspace: a new owner account of this workspace creates it and signs into it. */
    GatewayClient otherWorkspace() {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Other " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        String wsId = ws.get("id");
        return anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), wsId).accessToken());
    }

    private static Path writeCatalog() {
        Path dir = TestSecrets.tempDir("aimp-runs-catalog-");
        write(dir, "fallback.yaml", """
                slug: fallback-model
                name: Fallback
                kind: text
                description: first route fails with 500, the second answers
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes:
                      - {provider: fake-500, model: m-a, timeout_ms: 5000}
                      - {provider: fake-ok, model: m-b, timeout_ms: 5000}
                    pricing: {per_run: 0.01, per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                text: {prompt: "{{input.text}}"}
                """);
        write(dir, "all-fail.yaml", """
                slug: all-fail-model
                name: All fail
                kind: text
                description: every route fails
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes:
                      - {provider: fake-500, model: x-a, timeout_ms: 5000}
                      - {provider: fake-500, model: x-b, timeout_ms: 5000}
                    pricing: {per_run: 0.5}
                text: {prompt: "{{input.text}}"}
                """);
        write(dir, "rejected.yaml", """
                slug: rejected-model
                name: Rejected
                kind: text
                description: the first route refuses the request as bad
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes:
                      - {provider: fake-400, model: r-a, timeout_ms: 5000}
                      - {provider: fake-ok, model: r-b, timeout_ms: 5000}
                text: {prompt: "{{input.text}}"}
                """);
        write(dir, "slow.yaml", """
                slug: slow-model
                name: Slow
                kind: text
                description: the first route times out, the second answers
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 2.0.0
                    routes:
                      - {provider: fake-slow, model: s-a, timeout_ms: 300}
                      - {provider: fake-ok, model: s-b, timeout_ms: 5000}
                  - version: 1.0.0
                    deprecated: "use 2.0.0"
                    routes: [{provider: fake-ok, model: s-old}]
                current: 1.0.0
                text: {prompt: "{{input.text}}"}
                """);
        for (String which : new String[] {"json", "badjson"}) {
            write(dir, which + ".yaml", """
                    slug: structured-%s
                    name: Structured
                    kind: text
                    description: answers a JSON document its output schema describes
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [text], properties: {text: {type: string}}}
                        output:
                          type: object
                          required: [answer, score]
                          properties:
                            answer: {type: string}
                            score: {type: integer}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: fake-%s, model: j}]
                    text: {prompt: "{{input.text}}"}
                    """.formatted(which, which));
        }
        write(dir, "timeout.yaml", """
                slug: timeout-model
                name: Timeout
                kind: text
                description: the first route times out, the second answers
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes:
                      - {provider: fake-slow, model: t-a, timeout_ms: 300}
                      - {provider: fake-ok, model: t-b, timeout_ms: 5000}
                text: {prompt: "{{input.text}}"}
                """);
        write(dir, "contract.yaml", """
                slug: contract-model
                name: Contract
                kind: text
                description: a contract with several fields and a vector mode
                visibility: public
                modes:
                  execute:
                    input:
                      type: object
                      required: [prompt, count]
                      additionalProperties: false
                      properties:
                        prompt: {type: string, minLength: 1}
                        count: {type: integer, minimum: 1, maximum: 5}
                    params:
                      type: object
                      additionalProperties: false
                      properties:
                        temperature: {type: number, minimum: 0, maximum: 2}
                  search:
                    vector: true
                    input: {type: object, required: [query], properties: {query: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-ok, model: c-a}]
                text: {prompt: "{{input.prompt}} x{{input.count}}"}
                """);
        write(dir, "slow-only.yaml", """
                slug: slow-only-model
                name: Slow only
                kind: text
                description: its only route answers after two seconds
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-slow, model: so-a, timeout_ms: 10000}]
                text: {prompt: "{{input.text}}"}
                """);
        write(dir, "private.yaml", """
                slug: private-model
                name: Private
                kind: text
                description: visible to one other workspace only
                visibility: private
                workspaces: [ws_someoneelse0000]
                modes:
                  execute:
                    input: {type: object, properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-ok, model: p-a}]
                text: {prompt: "{{input.text}}"}
                """);
        return dir;
    }

    private static void write(Path dir, String name, String yaml) {
        try {
            Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
