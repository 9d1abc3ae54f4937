package io.aimp.gateway.playground;

import io.aimp.gateway.support.ScriptedOpenAi;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The playground tests' catalog and providers: text models on scripted providers of their own ({@code pg-a},
 * {@code pg-b}, {@code pg-c}, {@code pg-p}), a chatbot, a content writer and an assistant with tools.
 */
final class PlaygroundCatalog {

    static final ScriptedOpenAi PROVIDER = new ScriptedOpenAi();
    static final Path DIR = write();
    static final String[] PROVIDERS = {"pg-a", "pg-b", "pg-c", "pg-p", "pg-chat", "pg-w", "pg-tools", "pg-judge", "pg-s"};

    private PlaygroundCatalog() {
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", DIR::toString);
        for (String name : PROVIDERS) {
            registry.add("aimp.providers." + name + ".type", () -> "openai");
            registry.add("aimp.providers." + name + ".base-url", () -> PROVIDER.baseUrl(name));
            registry.add("aimp.providers." + name + ".api-key", () -> "sk-test-provider-key-000000000000");
        }
        registry.add("aimp.router.max-retries", () -> "0");
    }

    private static String text(String slug, String provider, String pricing) {
        return """
                slug: %s
                name: %s
                kind: text
                description: a text model for playground tests
                visibility: public
                modes:
                  execute:
                    input: {type: object}
                    params: {type: object, properties: {max_tokens: {type: integer}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: %s, model: %s-model, timeout_ms: 60000}]
                    pricing: %s
                text:
                  system: "Be brief."
                  prompt: "Summarize: {{input.text}}"
                """.formatted(slug, slug, provider, provider, pricing);
    }

    private static Path write() {
        Path dir = TestSecrets.tempDir("aimp-playground-catalog-");
        String tokens = "{per_1k_input_tokens: 1, per_1k_output_tokens: 2}";
        file(dir, "pg-alpha.yaml", text("pg-alpha", "pg-a", tokens));
        file(dir, "pg-beta.yaml", text("pg-beta", "pg-b", tokens));
        file(dir, "pg-broken.yaml", text("pg-broken", "pg-c", tokens));
        file(dir, "pg-pricey.yaml", text("pg-pricey", "pg-p", "{per_run: 10}"));
        file(dir, "pg-chat.yaml", """
                slug: pg-chat
                name: Chat
                kind: chat
                description: a chatbot
                visibility: public
                modes:
                  chat:
                    input: {type: object, required: [message], properties: {message: {type: string}, conversation_id: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: pg-chat, model: chat-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                chat:
                  persona: "You are a helpful bot."
                """);
        file(dir, "pg-writer.yaml", """
                slug: pg-writer
                name: Writer
                kind: content
                description: writes posts
                visibility: public
                modes:
                  generate:
                    input: {type: object}
                    params: {type: object}
                releases:
                  - version: 1.0.0
                    routes: [{provider: pg-w, model: writer-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                content:
                  system: "You write for a bakery blog."
                  steps:
                    title: "A title about {{input.topic}}"
                    content: "An article titled {{post.title}} about {{input.topic}}"
                  operations:
                    rewrite: "Rewrite: {{text}}"
                    summarize: "Summarize: {{text}}"
                    translate: "Translate into {{target_language}}: {{text}}"
                    paraphrase: "Paraphrase: {{text}}"
                    shorten: "Shorten: {{text}}"
                    expand: "Expand: {{text}}"
                    fix_grammar: "Fix the grammar: {{text}}"
                    change_tone: "Make it {{params.tone}}: {{text}}"
                """);
        file(dir, "pg-agent.yaml", """
                slug: pg-agent
                name: Agent
                kind: assistant
                description: an assistant that runs code
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [message], properties: {message: {type: string}}}
                    output:
                      type: object
                releases:
                  - version: 1.0.0
                    routes: [{provider: pg-tools, model: tool-model, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                assistant:
                  instructions: "Help the user."
                  max_steps: 4
                  tools:
                    run_code: {}
                """);
        file(dir, "pg-grader.yaml", text("pg-grader", "pg-judge", tokens));
        file(dir, "pg-suite.yaml", """
                slug: pg-suite
                name: Suite
                kind: text
                description: a text model with an evaluation suite next to its releases
                visibility: public
                modes:
                  execute:
                    input: {type: object}
                releases:
                  - version: 2.0.0
                    routes: [{provider: pg-s, model: suite-model-2, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                  - version: 1.0.0
                    routes: [{provider: pg-s, model: suite-model-1, timeout_ms: 60000}]
                    pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                text:
                  prompt: "{{input.text}}"
                tests:
                  cases:
                    - name: greets
                      input: {text: "Say hello"}
                      expect: {contains: hello, max_cost: "1"}
                    - name: counts
                      input: {text: "Count to three"}
                      expect: {regex: "1.*2.*3"}
                """);
        return dir;
    }

    private static void file(Path dir, String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
