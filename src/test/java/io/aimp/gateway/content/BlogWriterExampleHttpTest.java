package io.aimp.gateway.content;

import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.ScriptedOpenAi;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The shipped example {@code examples/catalog/blog-writer.yaml} loads and runs as docs/content.md shows. */
@CheckedAgainstOpenApi
class BlogWriterExampleHttpTest extends GatewayHttpTest {

    static final ScriptedOpenAi PROVIDER = new ScriptedOpenAi();
    private static final Path CATALOG = catalog();

    @DynamicPropertySource
    static void exampleProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        registry.add("aimp.providers.openai.type", () -> "openai");
        registry.add("aimp.providers.openai.base-url", () -> PROVIDER.baseUrl("openai"));
        registry.add("aimp.providers.openai.api-key", () -> "sk-test-provider-key-000000000000");
        registry.add("aimp.router.max-retries", () -> "0");
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-blog-writer-");
        try {
            Files.copy(Path.of("examples/catalog/blog-writer.yaml"), dir.resolve("blog-writer.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Test
    void should_generate_save_and_edit_a_post_as_documented() {
        PROVIDER.script("openai", text("Sourdough for beginners", 30, 5),
                text("<h2>Starter</h2><p>Feed your starter every day with flour and water, keep it warm, and wait "
                        + "until it doubles before you bake.</p><pre>100 g flour</pre>", 60, 40),
                text("bread, sourdough", 20, 4));

        Response generated = owner.post("/api/runs", Map.of("model", "blog-writer", "mode", "generate",
                "input", Map.of("topic", "sourdough for beginners"),
                "params", Map.of("tone", "friendly", "steps", List.of("title", "content", "tags"), "save", true,
                        "post", Map.of("status", "pending", "categories", List.of("Baking")))));

        assertThat(generated.status()).as(generated.describe()).isEqualTo(200);
        JsonNode post = generated.json().path("output");
        assertThat(post.path("title").asString()).isEqualTo("Sourdough for beginners");
        assertThat(post.path("status").asString()).isEqualTo("pending");
        assertThat(PROVIDER.requests("openai").getFirst().path("messages").get(0).path("content").asString())
                .startsWith("You are the writer of a blog. Write in English, in a friendly tone.");
        String id = post.path("post_id").asString();

        PROVIDER.script("openai", text("<h2>Starter</h2><p>Feed your starter daily with flour and water, keep it warm, "
                + "and wait until it has doubled before you bake.</p><pre>100 g flour</pre>", 80, 40));
        Response edited = owner.post("/api/runs", Map.of("model", "blog-writer", "mode", "edit",
                "input", Map.of("post_id", id, "operation", "fix_grammar"), "params", Map.of("save", true)));

        assertThat(edited.status()).as(edited.describe()).isEqualTo(200);
        assertThat(edited.json().path("output").path("revision").asInt()).isEqualTo(2);
        assertThat(owner.get("/api/content/posts/" + id).json().path("content_html").asString())
                .contains("Feed your starter daily");
        assertThat(edited.json().path("cost").path("credits").asString()).isNotEqualTo("0.000000");
    }
}
