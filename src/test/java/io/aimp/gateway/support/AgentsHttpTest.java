package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running gateway for chatbot and assistant tests: a scripted fake provider per test model
 * ({@code scripted-chat}, {@code scripted-assistant}, {@code scripted-loop}, {@code scripted-code},
 * {@code scripted-quick}, see {@link ScriptedOpenAi}),
 * and a test catalog whose knowledge bases are the demo catalog's {@code text-embed} model (see {@link KnowledgeBases}).
 */
public abstract class AgentsHttpTest extends GatewayHttpTest {

    public static final ScriptedOpenAi PROVIDER = new ScriptedOpenAi();
    static final Path CATALOG = writeCatalog();

    @DynamicPropertySource
    static void agentProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        for (String name : new String[] {"chat", "assistant", "loop", "code", "quick"}) {
            registry.add("aimp.providers.scripted-" + name + ".type", () -> "openai");
            registry.add("aimp.providers.scripted-" + name + ".base-url", () -> PROVIDER.baseUrl(name));
            registry.add("aimp.providers.scripted-" + name + ".api-key", () -> "sk-test-provider-key-000000000000");
        }
        registry.add("aimp.router.max-retries", () -> "0");
    }

    /** A client of a second workspace with a few credits, signed in as a new owner account. */
    protected GatewayClient otherWorkspace() {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Other " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        GatewayClient client = anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), ws.get("id")).accessToken());
        GatewayClient.Response top = client.post("/api/billing/wallet/credits", Map.of("amount", "50", "reason", "tests"));
        assertThat(top.status()).as(top.describe()).isEqualTo(200);
        return client;
    }

    private static Path writeCatalog() {
        Path dir = TestSecrets.tempDir("aimp-agents-catalog-");
        write(dir, "support-bot.yaml", """
                slug: support-bot
                name: Support bot
                kind: chat
                description: answers from the docs knowledge base
                visibility: public
                modes:
                  chat:
                    input:
                      type: object
                      required: [message]
                      additionalProperties: false
                      properties:
                        message: {type: string, minLength: 1}
                        conversation_id: {type: string}
                        user: {type: string}
                releases:
                  - version: 1.0.0
                    routes: [{provider: scripted-chat, model: chat-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                chat:
                  persona: "You are the support assistant of {{input.user}}'s shop."
                  memory: {turns: 1}
                  retrieval: {model: text-embed, scope: docs, top_k: 2, min_score: 0.1}
                  retention: {days: 30}
                """);
        write(dir, "helper.yaml", """
                slug: helper
                name: Helper
                kind: assistant
                description: an assistant with every tool
                visibility: public
                modes:
                  execute:
                    input:
                      type: object
                      required: [message]
                      properties:
                        message: {type: string}
                        files: {type: array}
                releases:
                  - version: 1.0.0
                    routes: [{provider: scripted-assistant, model: tool-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                assistant:
                  instructions: "Help the user. Use tools when they help."
                  max_steps: 6
                  tools:
                    knowledge_search: {model: text-embed, scope: policies, top_k: 2}
                    run_model: {models: [demo-model]}
                    http_get: {}
                    run_code: {timeout_ms: 800}
                """);
        write(dir, "looper.yaml", """
                slug: looper
                name: Looper
                kind: assistant
                description: its provider never stops calling tools
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [message], properties: {message: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: scripted-loop, model: loop-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1}
                assistant:
                  max_steps: 3
                  tools:
                    run_code: {}
                """);
        for (String[] coder : new String[][] {{"coder", "code", "8"}, {"quick-coder", "quick", "1"}}) {
            write(dir, coder[0] + ".yaml", """
                    slug: %s
                    name: Coder
                    kind: assistant
                    description: runs code with the sandbox's own time limit
                    visibility: public
                    modes:
                      execute:
                        input: {type: object, required: [message], properties: {message: {type: string}}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: scripted-%s, model: code-model, timeout_ms: 10000}]
                        pricing: {per_1k_input_tokens: 1}
                    assistant:
                      max_steps: 4
                      max_tool_calls_per_step: %s
                      tools:
                        run_code: {}
                    """.formatted(coder[0], coder[1], coder[2]));
        }
        return dir;
    }

    private static void write(Path dir, String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
