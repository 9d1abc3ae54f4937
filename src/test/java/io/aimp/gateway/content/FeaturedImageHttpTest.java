package io.aimp.gateway.content;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.images.FakeImageProvider;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.ScriptedOpenAi;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A content run that asks for a featured image: one nested run of an image model (a fake OpenAI images API serving
 * real PNG bytes), charged and logged on its own with the content run as its parent, whose media ref is set on the
 * post; a featured image the post already has is kept unless the run asks to overwrite it.
 */
@CheckedAgainstOpenApi
class FeaturedImageHttpTest extends GatewayHttpTest {

    static final ScriptedOpenAi WRITER = new ScriptedOpenAi();
    static final FakeImageProvider IMAGES = new FakeImageProvider();
    private static final Path CATALOG = catalog();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        registry.add("aimp.providers.fi-writer.type", () -> "openai");
        registry.add("aimp.providers.fi-writer.base-url", () -> WRITER.baseUrl("writer"));
        registry.add("aimp.providers.fi-writer.api-key", () -> "sk-test-provider-key-000000000000");
        registry.add("aimp.providers.fi-images.type", () -> "openai");
        registry.add("aimp.providers.fi-images.base-url", () -> IMAGES.baseUrl("png"));
        registry.add("aimp.router.max-retries", () -> "0");
    }

    @AfterAll
    static void stop() {
        IMAGES.close();
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-featured-catalog-");
        try {
            Files.writeString(dir.resolve("blog.yaml"), """
                    slug: blog
                    name: Blog
                    kind: content
                    description: writes posts
                    visibility: public
                    modes:
                      generate: {input: {type: object}, params: {type: object}}
                      edit: {input: {type: object}, params: {type: object}}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: fi-writer, model: writer-model, timeout_ms: 60000}]
                        pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                    content:
                      steps:
                        content: "An article titled {{post.title}}"
                        excerpt: "An excerpt of {{post.title}}"
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
            Files.writeString(dir.resolve("painter.yaml"), """
                    slug: painter
                    name: Painter
                    kind: image
                    description: Paints pictures.
                    visibility: public
                    modes:
                      generate:
                        input: {type: object, required: [prompt], properties: {prompt: {type: string}}}
                        params: {type: object}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: fi-images, model: paint-1, timeout_ms: 10000}]
                    image:
                      sizes: ["256x256", "512x256"]
                      prices:
                        "256x256": {standard: 0.02}
                        "512x256": {standard: 0.03}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @BeforeEach
    void fund() {
        if (new BigDecimal(owner.get("/api/billing/wallet").get("balance")).compareTo(BigDecimal.TEN) < 0) {
            Response topUp = owner.post("/api/billing/wallet/credits", Map.of("amount", "100", "reason", "tests"));
            assertThat(topUp.status()).as(topUp.describe()).isEqualTo(200);
        }
    }

    private Response generate(Map<String, ?> params) {
        return owner.post("/api/runs", Map.of("model", "blog", "mode", "generate", "input", Map.of("title", "Rye bread"),
                "params", params));
    }

    private static Map<String, Object> params(Map<String, ?> featured, Map<String, ?> post) {
        Map<String, Object> p = new HashMap<>();
        p.put("steps", List.of("content", "excerpt"));
        p.put("save", true);
        p.put("featured_image", featured);
        if (post != null) {
            p.put("post", post);
        }
        return p;
    }

    /** A post with a featured image made by a nested run: its media ref. */
    private String postWithFeaturedImage() {
        WRITER.script("writer", text("<p>Rye.</p>", 10, 4), text("Dark and sour.", 5, 3));
        Response r = generate(params(Map.of("model", "painter"), null));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r.json().path("output").path("featured_image").asString();
    }

    @Test
    void should_make_the_featured_image_in_a_nested_run_charged_and_logged_on_its_own() {
        WRITER.script("writer", text("<p>Rye needs time.</p>", 10, 4), text("Dark and sour.", 5, 3));
        int imageCalls = IMAGES.calls("png");

        Response r = generate(params(Map.of("model", "painter", "size", "512x256"), null));

        // then: the post carries the image the nested run stored
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String runId = r.json().path("id").asString();
        JsonNode out = r.json().path("output");
        String mediaRef = out.path("featured_image").asString();
        assertThat(mediaRef).startsWith("media_");
        JsonNode post = owner.get("/api/content/posts/" + out.path("post_id").asString()).json();
        assertThat(post.path("featured_image").asString()).isEqualTo(mediaRef);
        assertThat(owner.get("/api/content/posts/" + out.path("post_id").asString() + "/revisions/1").json()
                .path("featured_image").asString()).isEqualTo(mediaRef);
        JsonNode media = owner.get("/api/media/" + mediaRef).json();
        assertThat(media.path("width").asInt()).isEqualTo(512);
        assertThat(media.path("height").asInt()).isEqualTo(256);
        assertThat(owner.get("/api/media/" + mediaRef + "/content").status()).isEqualTo(200);
        assertThat(IMAGES.calls("png") - imageCalls).isEqualTo(1);
        // the prompt is made from the post: its title and excerpt
        assertThat(WRITER.requests("writer")).hasSize(2);

        // then: the nested run is its own run, usage row and execution log, with the content run as parent
        String nestedId = out.path("featured_image_run_id").asString();
        JsonNode nested = owner.get("/api/runs/" + nestedId).json();
        assertThat(nested.path("status").asString()).isEqualTo("succeeded");
        assertThat(nested.path("model").asString()).isEqualTo("painter");
        assertThat(nested.path("parent_run_id").asString()).isEqualTo(runId);
        assertThat(nested.path("cost").path("credits").asString()).isEqualTo("0.030000");
        JsonNode usage = owner.get("/api/logs/usage?run_id=" + nestedId).json().path("data");
        assertThat(usage.size()).isEqualTo(1);
        assertThat(usage.get(0).path("parent_run_id").asString()).isEqualTo(runId);
        assertThat(usage.get(0).path("entry_point").asString()).isEqualTo("content");
        assertThat(usage.get(0).path("credits").asString()).isEqualTo("0.030000");
        JsonNode nestedLog = owner.get("/api/logs/executions?run_id=" + nestedId).json().path("data");
        assertThat(nestedLog.valueStream().map(e -> e.path("step").asString() + ":" + e.path("outcome").asString()))
                .contains("provider_attempt:ok");
        // the content run pays only for its own text calls: (10 + 5) input at 1, (4 + 3) output at 2 per 1k tokens
        assertThat(r.json().path("cost").path("credits").asString()).isEqualTo("0.029000");
        JsonNode log = owner.get("/api/logs/executions?run_id=" + runId).json().path("data");
        JsonNode step = log.valueStream().filter(e -> "featured_image".equals(e.path("name").asString())).findFirst()
                .orElseThrow();
        assertThat(step.path("outcome").asString()).isEqualTo("ok");
        assertThat(step.path("detail").path("run_id").asString()).isEqualTo(nestedId);
    }

    @Test
    void should_keep_an_existing_featured_image_unless_asked_to_overwrite_it() {
        String existing = postWithFeaturedImage();
        int imageCalls = IMAGES.calls("png");

        // a featured image given with the post is kept: no image run
        WRITER.script("writer", text("<p>Spelt.</p>", 10, 4), text("Nutty.", 5, 3));
        Response kept = generate(params(Map.of("model", "painter"), Map.of("featured_image", existing)));
        assertThat(kept.status()).as(kept.describe()).isEqualTo(200);
        assertThat(kept.json().path("output").path("featured_image").asString()).isEqualTo(existing);
        assertThat(kept.json().path("output").has("featured_image_run_id")).isFalse();
        assertThat(IMAGES.calls("png")).isEqualTo(imageCalls);
        JsonNode log = owner.get("/api/logs/executions?run_id=" + kept.json().path("id").asString()).json().path("data");
        assertThat(log.valueStream().filter(e -> "featured_image".equals(e.path("name").asString()))
                .map(e -> e.path("outcome").asString())).containsExactly("skipped");

        // overwrite: true replaces it
        WRITER.script("writer", text("<p>Spelt.</p>", 10, 4), text("Nutty.", 5, 3));
        Response replaced = generate(params(Map.of("model", "painter", "overwrite", true), Map.of("featured_image", existing)));
        assertThat(replaced.status()).as(replaced.describe()).isEqualTo(200);
        String fresh = replaced.json().path("output").path("featured_image").asString();
        assertThat(fresh).startsWith("media_").isNotEqualTo(existing);
        assertThat(IMAGES.calls("png")).isEqualTo(imageCalls + 1);

        // the library API sets and clears it too, a new revision each time
        String id = replaced.json().path("output").path("post_id").asString();
        Response set = owner.patch("/api/content/posts/" + id, Map.of("featured_image", existing));
        assertThat(set.status()).as(set.describe()).isEqualTo(200);
        assertThat(set.json().path("featured_image").asString()).isEqualTo(existing);
        Map<String, Object> clear = new HashMap<>();
        clear.put("featured_image", null);
        Response cleared = owner.patch("/api/content/posts/" + id, clear);
        assertThat(cleared.status()).as(cleared.describe()).isEqualTo(200);
        assertThat(cleared.json().path("featured_image").isNull()).isTrue();
        assertThat(cleared.json().path("revision").asInt()).isEqualTo(3);
    }

    @Test
    void should_refuse_a_bad_featured_image_request_before_any_provider_call() {
        int imageCalls = IMAGES.calls("png");
        int textCalls = WRITER.requests("writer").size();

        JsonNode notImage = assertProblem(generate(params(Map.of("model", "blog"), null)), 400, "invalid_parameter",
                "invalid_request");
        assertThat(notImage.path("errors").get(0).path("path").asString()).isEqualTo("params.featured_image.model");
        JsonNode unknown = assertProblem(generate(params(Map.of("model", "painter", "style", "x"), null)), 400,
                "invalid_parameter", "invalid_request");
        assertThat(unknown.path("errors").get(0).path("path").asString()).isEqualTo("params.featured_image.style");
        JsonNode missing = assertProblem(generate(params(Map.of("size", "256x256"), null)), 400, "missing_parameter",
                "invalid_request");
        assertThat(missing.path("errors").get(0).path("path").asString()).isEqualTo("params.featured_image.model");
        JsonNode noMedia = assertProblem(generate(params(Map.of("model", "painter"), Map.of("featured_image", "media_nope"))),
                400, "invalid_parameter", "invalid_request");
        assertThat(noMedia.path("errors").get(0).path("path").asString()).isEqualTo("params.post.featured_image");

        assertThat(IMAGES.calls("png")).isEqualTo(imageCalls);
        assertThat(WRITER.requests("writer")).hasSize(textCalls);
        assertProblem(owner.patch("/api/content/posts/post_nope", Map.of("featured_image", "media_nope")), 404,
                "not_found", "invalid_request");
    }
}
