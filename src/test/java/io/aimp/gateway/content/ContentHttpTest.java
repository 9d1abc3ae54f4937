package io.aimp.gateway.content;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static io.aimp.gateway.support.ScriptedOpenAi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.ScriptedOpenAi;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Content runs against a scripted OpenAI-compatible provider, and the content library they save into. */
@CheckedAgainstOpenApi
class ContentHttpTest extends GatewayHttpTest {

    static final ScriptedOpenAi PROVIDER = new ScriptedOpenAi();
    private static final Path CATALOG = catalog();

    static final String ARTICLE = "<h2>Baking bread</h2><p>Good bread needs time, warm water and patience. Read "
            + "<a href=\"https://example.com/flour\">our flour guide</a> before you start, and let the dough rest "
            + "for at least an hour.</p><pre>500 g flour\n350 g water</pre><p>[recipe id=\"7\"] Bake it at two "
            + "hundred degrees until the crust is brown and it sounds hollow.</p>";

    @DynamicPropertySource
    static void contentProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        registry.add("aimp.providers.scripted-writer.type", () -> "openai");
        registry.add("aimp.providers.scripted-writer.base-url", () -> PROVIDER.baseUrl("writer"));
        registry.add("aimp.providers.scripted-writer.api-key", () -> "sk-test-provider-key-000000000000");
        registry.add("aimp.router.max-retries", () -> "0");
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-content-catalog-");
        try {
            Files.writeString(dir.resolve("writer.yaml"), """
                    slug: writer
                    name: Writer
                    kind: content
                    description: writes and edits posts
                    visibility: public
                    modes:
                      generate:
                        input: {type: object, properties: {title: {type: string}, topic: {type: string}, prompt: {type: string}}}
                        params: {type: object}
                      edit:
                        input: {type: object}
                        params: {type: object}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: scripted-writer, model: writer-model, timeout_ms: 60000}]
                        pricing: {per_1k_input_tokens: 1, per_1k_output_tokens: 2}
                    content:
                      system: "You write for a bakery blog."
                      steps:
                        title: "A title about {{input.topic}}"
                        content: "An article titled {{post.title}} about {{input.topic}}"
                        excerpt: "An excerpt of {{post.title}}"
                        tags: "Tags for {{post.title}}"
                        categories: "Categories for {{post.title}}"
                        seo_description: "SEO text for {{post.title}}"
                      operations:
                        rewrite: "Rewrite: {{text}}"
                        summarize: "Summarize: {{text}}"
                        translate: "Translate into {{target_language}}: {{text}}"
                        paraphrase: "Paraphrase: {{text}}"
                        shorten: "Shorten: {{text}}"
                        expand: "Expand: {{text}}"
                        fix_grammar: "Fix the grammar: {{text}}"
                        change_tone: "Make it {{params.tone}}: {{text}}"
                      statuses: [draft, pending, publish]
                      default_status: draft
                      checks: [well_formed, links_preserved, images_preserved, length, language, protected_spans]
                      protected_patterns: ['\\[recipe[^\\]]*\\]']
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private Response generate(GatewayClient client, Map<String, ?> input, Map<String, ?> params) {
        return client.post("/api/runs", Map.of("model", "writer", "mode", "generate", "input", input, "params", params));
    }

    private Response edit(GatewayClient client, Map<String, ?> input, Map<String, ?> params) {
        return client.post("/api/runs", Map.of("model", "writer", "mode", "edit", "input", input, "params", params));
    }

    /** A saved post with {@link #ARTICLE} as its content, created by {@code client}. */
    private String savedArticle(GatewayClient client) {
        PROVIDER.script("writer", text(ARTICLE, 10, 50));
        Response r = generate(client, Map.of("title", "Bread", "topic", "bread"), Map.of("steps", List.of("content"),
                "save", true));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r.json().path("output").path("post_id").asString();
    }

    private JsonNode post(String id) {
        Response r = owner.get("/api/content/posts/" + id);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return r.json();
    }

    private int revisions(String id) {
        return owner.get("/api/content/posts/" + id + "/revisions").json().path("data").size();
    }

    @Test
    void should_generate_each_step_and_save_only_when_asked() {
        PROVIDER.script("writer", text("Sourdough at home", 10, 4), text("```html\n<p>Flour, water, salt.</p>"
                        + "<script>alert(1)</script>\n```", 20, 10), text("A short guide.", 5, 3),
                text("bread, baking\n- sourdough", 5, 3), text("Recipes", 5, 1), text("Bake <b>sourdough</b>.", 5, 2));

        Response r = generate(owner, Map.of("topic", "sourdough"), Map.of());

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode out = r.json().path("output");
        assertThat(out.path("title").asString()).isEqualTo("Sourdough at home");
        assertThat(out.path("content_html").asString()).isEqualTo("<p>Flour, water, salt.</p>");
        assertThat(out.path("excerpt").asString()).isEqualTo("A short guide.");
        assertThat(out.path("tags").valueStream().map(JsonNode::asString)).containsExactly("bread", "baking", "sourdough");
        assertThat(out.path("categories").valueStream().map(JsonNode::asString)).containsExactly("Recipes");
        assertThat(out.path("seo_description").asString()).isEqualTo("Bake sourdough.");
        assertThat(out.path("status").asString()).isEqualTo("draft");
        assertThat(out.path("post_type").asString()).isEqualTo("post");
        assertThat(out.has("post_id")).isFalse();
        // later steps see earlier results; each step is one metered call, logged, and the usage is their sum
        List<JsonNode> sent = PROVIDER.requests("writer");
        assertThat(sent).hasSize(6);
        assertThat(sent.get(1).path("messages").get(0).path("content").asString()).isEqualTo("You write for a bakery blog.");
        assertThat(sent.get(1).path("messages").get(1).path("content").asString())
                .isEqualTo("An article titled Sourdough at home about sourdough");
        assertThat(r.json().path("usage").path("input_tokens").asLong()).isEqualTo(50);
        assertThat(r.json().path("usage").path("output_tokens").asLong()).isEqualTo(23);
        String runId = r.json().path("id").asString();
        JsonNode log = owner.get("/api/logs/executions?run_id=" + runId).json().path("data");
        assertThat(log.valueStream().filter(e -> "content".equals(e.path("step").asString()))
                .map(e -> e.path("name").asString()))
                .containsExactlyInAnyOrder("title", "content", "excerpt", "tags", "categories", "seo_description");
        assertThat(owner.get("/api/content/posts").json().path("data").valueStream()
                .filter(p -> "Sourdough at home".equals(p.path("title").asString()))).isEmpty();

        // with save: the post has the status, categories, tags and metadata asked for
        PROVIDER.script("writer", text("Rye bread", 10, 4), text("<p>Rye.</p>", 10, 4));
        Response saved = generate(owner, Map.of("topic", "rye"), Map.of("steps", List.of("content", "title"), "save", true,
                "post", Map.of("type", "recipe", "status", "publish", "categories", List.of("Bread"),
                        "tags", List.of("rye"), "metadata", Map.of("author", "ada"))));

        assertThat(saved.status()).as(saved.describe()).isEqualTo(200);
        JsonNode savedOut = saved.json().path("output");
        assertThat(savedOut.path("revision").asInt()).isEqualTo(1);
        JsonNode stored = post(savedOut.path("post_id").asString());
        assertThat(stored.path("title").asString()).isEqualTo("Rye bread");
        assertThat(stored.path("content_html").asString()).isEqualTo("<p>Rye.</p>");
        assertThat(stored.path("status").asString()).isEqualTo("publish");
        assertThat(stored.path("post_type").asString()).isEqualTo("recipe");
        assertThat(stored.path("categories").valueStream().map(JsonNode::asString)).containsExactly("Bread");
        assertThat(stored.path("tags").valueStream().map(JsonNode::asString)).containsExactly("rye");
        assertThat(stored.path("metadata").path("author").asString()).isEqualTo("ada");
        JsonNode revision = owner.get("/api/content/posts/" + stored.path("id").asString() + "/revisions/1").json();
        assertThat(revision.path("run_id").asString()).isEqualTo(saved.json().path("id").asString());
        assertThat(revision.path("model").asString()).isEqualTo("writer");
        assertThat(revision.path("release").asString()).isEqualTo("1.0.0");
        assertThat(revision.path("operation").asString()).isEqualTo("generate");
    }

    @Test
    void should_refuse_a_status_or_step_the_release_does_not_offer() {
        PROVIDER.script("writer", text("unused", 1, 1));

        JsonNode status = assertProblem(generate(owner, Map.of("topic", "x"), Map.of("post", Map.of("status", "private"))),
                400, "invalid_parameter", "invalid_request");
        assertThat(status.path("errors").get(0).path("path").asString()).isEqualTo("params.post.status");
        JsonNode step = assertProblem(generate(owner, Map.of("topic", "x"), Map.of("steps", List.of("content", "poem"))),
                400, "invalid_parameter", "invalid_request");
        assertThat(step.path("errors").get(0).path("path").asString()).isEqualTo("params.steps[1]");
        JsonNode empty = assertProblem(generate(owner, Map.of("keywords", "x"), Map.of()), 400, "invalid_input",
                "invalid_request");
        assertThat(empty.path("errors").get(0).path("path").asString()).isEqualTo("input");
        assertThat(PROVIDER.requests("writer")).isEmpty();
    }

    @Test
    void should_keep_xss_out_of_output_and_storage() {
        StringBuilder all = new StringBuilder("<p>Safe start</p>");
        HtmlSanitizerTest.PAYLOADS.forEach(all::append);
        PROVIDER.script("writer", text(all.toString(), 10, 10), text("<p>Safe <a href=\"https://example.com/flour\">x</a></p>"
                + String.join("", HtmlSanitizerTest.PAYLOADS), 10, 10));

        Response r = generate(owner, Map.of("title", "XSS"), Map.of("steps", List.of("content"), "save", true));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String out = r.json().path("output").path("content_html").asString();
        assertThat(out).startsWith("<p>Safe start</p>");
        assertThat(HtmlSanitizerTest.dangerous(out)).isEmpty();
        String id = r.json().path("output").path("post_id").asString();
        assertThat(HtmlSanitizerTest.dangerous(post(id).path("content_html").asString())).isEmpty();

        // an edit's model output too, returned and saved
        Response e = edit(owner, Map.of("post_id", id, "instruction", "add a link"), Map.of());
        assertThat(e.status()).as(e.describe()).isEqualTo(200);
        assertThat(HtmlSanitizerTest.dangerous(e.json().path("output").path("text").asString())).isEmpty();
    }

    @Test
    void should_save_an_edit_only_when_asked_and_every_required_check_passed() {
        String id = savedArticle(owner);
        String edited = ARTICLE.replace("Good bread needs time", "Fine bread takes time");

        // without save: the output, its diff and checks; the library is unchanged
        PROVIDER.script("writer", text(edited, 100, 100));
        Response preview = edit(owner, Map.of("post_id", id, "operation", "rewrite"), Map.of());
        assertThat(preview.status()).as(preview.describe()).isEqualTo(200);
        JsonNode out = preview.json().path("output");
        assertThat(out.path("text").asString()).isEqualTo(edited);
        assertThat(out.path("saved").asBoolean()).isFalse();
        assertThat(out.path("diff").asString()).startsWith("--- before\n+++ after\n")
                .contains("\n-<h2>Baking bread</h2><p>Good bread needs time").contains("\n+<h2>Baking bread</h2><p>Fine bread");
        assertThat(out.path("checks").valueStream().map(c -> c.path("name").asString() + "=" + c.path("passed").asBoolean()))
                .containsExactly("safe_html=true", "well_formed=true", "links_preserved=true", "images_preserved=true",
                        "length=true", "language=true", "protected_spans=true");
        assertThat(post(id).path("content_html").asString()).isEqualTo(ARTICLE);
        assertThat(revisions(id)).isEqualTo(1);

        // with save and passing checks: a new revision
        PROVIDER.script("writer", text(edited, 100, 100));
        Response saved = edit(owner, Map.of("post_id", id, "operation", "rewrite"), Map.of("save", true));
        assertThat(saved.status()).as(saved.describe()).isEqualTo(200);
        assertThat(saved.json().path("output").path("saved").asBoolean()).isTrue();
        assertThat(saved.json().path("output").path("revision").asInt()).isEqualTo(2);
        assertThat(post(id).path("content_html").asString()).isEqualTo(edited);
        assertThat(post(id).path("revision").asInt()).isEqualTo(2);
        JsonNode revision = owner.get("/api/content/posts/" + id + "/revisions/2").json();
        assertThat(revision.path("operation").asString()).isEqualTo("rewrite");
        assertThat(revision.path("run_id").asString()).isEqualTo(saved.json().path("id").asString());

        // a failing check: 422 checks_failed with the report, nothing written
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("links_preserved", edited.replace("<a href=\"https://example.com/flour\">our flour guide</a>",
                "our flour guide"));
        broken.put("protected_spans", edited.replace("350 g water", "400 g water"));
        broken.put("language", "<h2>Brot backen</h2><p>Gutes Brot braucht Zeit, warmes Wasser und Geduld. Lies "
                + "<a href=\"https://example.com/flour\">unseren Mehlratgeber</a>, bevor du anfängst, und lass den "
                + "Teig mindestens eine Stunde ruhen.</p><pre>500 g flour\n350 g water</pre><p>[recipe id=\"7\"] Backe "
                + "es bei zweihundert Grad, bis die Kruste braun ist und es hohl klingt.</p>");
        for (Map.Entry<String, String> b : broken.entrySet()) {
            PROVIDER.script("writer", text(b.getValue(), 100, 100));
            // again: this release already rewrote the post once
            JsonNode problem = assertProblem(edit(owner, Map.of("post_id", id, "operation", "rewrite"),
                    Map.of("save", true, "again", true)),
                    422, "checks_failed", "invalid_request");
            assertThat(problem.path("checks").valueStream().filter(c -> !c.path("passed").asBoolean())
                    .map(c -> c.path("name").asString())).as(b.getKey()).containsExactly(b.getKey());
            assertThat(post(id).path("content_html").asString()).isEqualTo(edited);
            assertThat(revisions(id)).isEqualTo(2);
        }

        // a translation is checked against the target language instead
        PROVIDER.script("writer", text(broken.get("language"), 100, 100));
        Response translated = edit(owner, Map.of("post_id", id, "operation", "translate"),
                Map.of("target_language", "de", "save", true));
        assertThat(translated.status()).as(translated.describe()).isEqualTo(200);
        assertThat(PROVIDER.requests("writer").getLast().path("messages").get(1).path("content").asString())
                .startsWith("Translate into de: <h2>Baking bread</h2>");
        assertThat(revisions(id)).isEqualTo(3);
    }

    @Test
    void should_leave_everything_outside_the_selection_byte_identical() {
        String source = "<p>Keep   this\u00a0exactly &amp; as is.</p>\n<p id=\"x\">Change this sentence.</p>\n<p>Tail &#169;</p>";
        int start = source.indexOf("Change");
        int end = source.indexOf("sentence.") + "sentence.".length();
        PROVIDER.script("writer", text("Changed words here.", 10, 5));

        Response r = edit(owner, Map.of("text", source, "operation", "paraphrase",
                "selection", Map.of("start", start, "end", end)), Map.of());

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String out = r.json().path("output").path("text").asString();
        assertThat(out.substring(0, start)).isEqualTo(source.substring(0, start));
        assertThat(out.substring(start, out.length() - (source.length() - end))).isEqualTo("Changed words here.");
        assertThat(out.substring(out.length() - (source.length() - end))).isEqualTo(source.substring(end));
        assertThat(PROVIDER.requests("writer").getLast().path("messages").get(1).path("content").asString())
                .isEqualTo("Paraphrase: Change this sentence.");

        // a heading's section: what follows it up to the next heading of its level
        String doc = "<h2>One</h2><p>First part.</p><h3>Sub</h3><p>Nested.</p><h2>Two</h2><p>Second part.</p>";
        PROVIDER.script("writer", text("<p>Rewritten.</p>", 10, 5));
        Response section = edit(owner, Map.of("text", doc, "operation", "rewrite", "selection", Map.of("heading", "One")),
                Map.of());
        assertThat(section.status()).as(section.describe()).isEqualTo(200);
        assertThat(section.json().path("output").path("text").asString())
                .isEqualTo("<h2>One</h2><p>Rewritten.</p><h2>Two</h2><p>Second part.</p>");
        assertThat(PROVIDER.requests("writer").getLast().path("messages").get(1).path("content").asString())
                .isEqualTo("Rewrite: <p>First part.</p><h3>Sub</h3><p>Nested.</p>");
        JsonNode noHeading = assertProblem(edit(owner, Map.of("text", doc, "operation", "rewrite",
                "selection", Map.of("heading", "Three")), Map.of()), 400, "invalid_input", "invalid_request");
        assertThat(noHeading.path("errors").get(0).path("path").asString()).isEqualTo("input.selection.heading");

        JsonNode bad = assertProblem(edit(owner, Map.of("text", source, "operation", "paraphrase",
                "selection", Map.of("start", 5, "end", source.length() + 1)), Map.of()), 400, "invalid_input", "invalid_request");
        assertThat(bad.path("errors").get(0).path("path").asString()).isEqualTo("input.selection");
        JsonNode unknown = assertProblem(edit(owner, Map.of("text", source, "operation", "poem"), Map.of()),
                400, "invalid_input", "invalid_request");
        assertThat(unknown.path("errors").get(0).path("path").asString()).isEqualTo("input.operation");
    }

    @Test
    void should_serve_the_library_with_filters_revisions_restore_and_roles() {
        String id = savedArticle(owner);

        // PATCH is a new revision; restore brings an earlier one back as the newest
        Response patched = owner.patch("/api/content/posts/" + id, Map.of("status", "pending", "tags", List.of("bread"),
                "categories", List.of("Baking"), "metadata", Map.of("seo", "yes")));
        assertThat(patched.status()).as(patched.describe()).isEqualTo(200);
        assertThat(patched.json().path("revision").asInt()).isEqualTo(2);
        assertThat(patched.json().path("status").asString()).isEqualTo("pending");
        JsonNode list = owner.get("/api/content/posts?status=pending&category=Baking&tag=bread&q=BAKING%20BREAD&limit=5")
                .json();
        assertThat(list.path("data").valueStream().map(p -> p.path("id").asString())).containsExactly(id);
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(owner.get("/api/content/posts?tag=brea").json().path("data").valueStream()
                .map(p -> p.path("id").asString())).doesNotContain(id);
        Response restored = owner.post("/api/content/posts/" + id + "/revisions/1/restore", Map.of());
        assertThat(restored.status()).as(restored.describe()).isEqualTo(200);
        assertThat(restored.json().path("revision").asInt()).isEqualTo(3);
        assertThat(restored.json().path("status").asString()).isEqualTo("draft");
        assertThat(owner.get("/api/content/posts/" + id + "/revisions").json().path("data").valueStream()
                .map(r -> r.path("operation").asString())).containsExactly("restore:1", "update", "generate");
        assertProblem(owner.patch("/api/content/posts/" + id, Map.of("status", "gone")), 400, "invalid_parameter",
                "invalid_request");
        assertProblem(owner.patch("/api/content/posts/" + id, Map.of("content_html", "<p>x</p>")), 400, "unknown_field",
                "invalid_request");
        assertProblem(owner.get("/api/content/posts?limit=0"), 400, "invalid_parameter", "invalid_request");

        // roles: viewers read; members change their own only; admins any
        GatewayClient viewer = anonymous.withKey(accounts.key("viewer").secret());
        // a member signed in as themselves (a key a member holds acts as the user who created it)
        GatewayClient member = anonymous.withBearer(TestAccounts.login(anonymous, accounts.member("member")).accessToken());
        GatewayClient admin = anonymous.withKey(accounts.key("admin").secret());
        assertThat(viewer.get("/api/content/posts/" + id).status()).isEqualTo(200);
        assertProblem(viewer.patch("/api/content/posts/" + id, Map.of("status", "publish")), 403, "permission_denied",
                "permission");
        assertProblem(member.patch("/api/content/posts/" + id, Map.of("status", "publish")), 403, "permission_denied",
                "permission");
        assertProblem(member.delete("/api/content/posts/" + id), 403, "permission_denied", "permission");
        PROVIDER.script("writer", text("unused", 1, 1));
        assertProblem(edit(member, Map.of("post_id", id, "operation", "rewrite"), Map.of()), 404, "not_found",
                "invalid_request");
        String own = savedArticle(member);
        assertThat(member.patch("/api/content/posts/" + own, Map.of("status", "publish")).status()).isEqualTo(200);
        assertThat(admin.patch("/api/content/posts/" + id, Map.of("status", "publish")).status()).isEqualTo(200);

        assertThat(admin.delete("/api/content/posts/" + id).status()).isEqualTo(204);
        assertProblem(owner.get("/api/content/posts/" + id), 404, "not_found", "invalid_request");
    }

    private JsonNode job(Map<String, ?> body) {
        Response created = owner.post("/api/jobs", body);
        assertThat(created.status()).as(created.describe()).isEqualTo(202);
        String id = created.get("id");
        JsonNode[] last = {null};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = owner.get("/api/jobs/" + id).json();
            return !"running".equals(last[0].path("status").asString());
        });
        return last[0];
    }

    private List<JsonNode> items(String jobId) {
        List<JsonNode> out = new ArrayList<>();
        for (int offset = 0; offset < 100; offset += 50) {
            owner.get("/api/jobs/" + jobId + "/items?limit=50&offset=" + offset).json().path("data").forEach(out::add);
        }
        return out;
    }

    @Test
    void should_generate_and_edit_in_bulk_saving_each_post_once() {
        // given: 49 posts generated by one bulk job, and one post with a link
        PROVIDER.script("writer", text("<p>Original text of a post.</p>", 5, 5));
        List<Map<String, Object>> titles = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            titles.add(Map.of("title", "Bulk " + i));
        }
        JsonNode generated = job(Map.of("model", "writer", "mode", "generate", "items", titles,
                "params", Map.of("steps", List.of("content"), "save", true)));
        assertThat(generated.path("counts").path("succeeded").asInt()).as(generated.toString()).isEqualTo(49);
        List<String> ids = new ArrayList<>(items(generated.path("id").asString()).stream()
                .map(i -> i.path("output").path("post_id").asString()).toList());
        PROVIDER.script("writer", text("<p>Original <a href=\"https://example.com/x\">text</a> of a post.</p>", 5, 5));
        Response linked = generate(owner, Map.of("title", "Linked"), Map.of("steps", List.of("content"), "save", true));
        String linkedId = linked.json().path("output").path("post_id").asString();
        ids.add(linkedId);
        List<Map<String, Object>> edits = ids.stream().map(id -> Map.<String, Object>of("post_id", id, "operation", "shorten"))
                .toList();

        // when: a dry run (no save), then the edit job; the answer drops the link of one post
        PROVIDER.script("writer", text("<p>Shorter text of a post.</p>", 5, 5));
        JsonNode dry = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", Map.of()));
        assertThat(dry.path("counts").path("succeeded").asInt()).isEqualTo(50);
        assertThat(ids).allSatisfy(id -> assertThat(revisions(id)).isEqualTo(1));
        JsonNode edited = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", Map.of("save", true)));

        // then: 49 saved once each, the linked one reported with its checks and not written
        assertThat(edited.path("counts").path("succeeded").asInt()).as(edited.toString()).isEqualTo(49);
        assertThat(edited.path("counts").path("failed").asInt()).isEqualTo(1);
        JsonNode failed = items(edited.path("id").asString()).stream().filter(i -> "failed".equals(i.path("status").asString()))
                .findFirst().orElseThrow();
        assertThat(failed.path("index").asInt()).isEqualTo(49);
        assertThat(failed.path("error").path("code").asString()).isEqualTo("checks_failed");
        assertThat(revisions(linkedId)).isEqualTo(1);
        assertThat(ids.subList(0, 49)).allSatisfy(id -> assertThat(revisions(id)).isEqualTo(2));

        // a resume retries only the failed item; a new job with the same operation skips what was edited
        Response resumed = owner.post("/api/jobs/" + edited.path("id").asString() + "/resume", Map.of());
        assertThat(resumed.status()).as(resumed.describe()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"running".equals(owner.get("/api/jobs/" + edited.path("id").asString()).json().path("status").asString()));
        int callsBefore = PROVIDER.requests("writer").size();
        JsonNode again = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", Map.of("save", true)));
        assertThat(again.path("counts").path("succeeded").asInt()).isEqualTo(49);
        assertThat(PROVIDER.requests("writer").size() - callsBefore).isEqualTo(1);
        assertThat(ids.subList(0, 49)).allSatisfy(id -> assertThat(revisions(id)).isEqualTo(2));
        assertThat(revisions(linkedId)).isEqualTo(1);
    }

    @Test
    void should_dry_run_an_edit_job_and_edit_again_only_with_the_again_option() {
        // given: three saved posts
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PROVIDER.script("writer", text("<p>Original text of post " + i + ".</p>", 5, 5));
            Response r = generate(owner, Map.of("title", "Dry " + i), Map.of("steps", List.of("content"), "save", true));
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            ids.add(r.json().path("output").path("post_id").asString());
        }
        List<Map<String, Object>> edits = ids.stream()
                .map(id -> Map.<String, Object>of("post_id", id, "operation", "expand")).toList();
        Map<String, Object> save = Map.of("save", true);

        // when: a dry run, even with params.save: which posts would change and the checks, nothing saved
        PROVIDER.script("writer", text("<p>Longer original text of a post.</p>", 5, 5));
        JsonNode dry = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", save,
                "options", Map.of("dry_run", true)));
        assertThat(dry.path("counts").path("succeeded").asInt()).as(dry.toString()).isEqualTo(3);
        List<JsonNode> dryItems = items(dry.path("id").asString());
        assertThat(dryItems).allSatisfy(i -> {
            JsonNode out = i.path("output");
            assertThat(out.path("dry_run").asBoolean()).isTrue();
            assertThat(out.path("would_change").asBoolean()).isTrue();
            assertThat(out.path("saved").asBoolean()).isFalse();
            assertThat(out.path("checks").valueStream().map(c -> c.path("name").asString())).contains("links_preserved");
            assertThat(out.path("diff").asString()).contains("+<p>Longer original text of a post.</p>");
        });
        assertThat(dryItems.stream().map(i -> i.path("output").path("post_id").asString())).containsExactlyElementsOf(ids);
        assertThat(ids).allSatisfy(id -> {
            assertThat(revisions(id)).isEqualTo(1);
            assertThat(post(id).path("content_html").asString()).startsWith("<p>Original text of post ");
        });

        // the real job saves each post once; a dry run after it reports them as done, without a provider call
        JsonNode edited = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", save));
        assertThat(edited.path("counts").path("succeeded").asInt()).as(edited.toString()).isEqualTo(3);
        assertThat(ids).allSatisfy(id -> assertThat(revisions(id)).isEqualTo(2));
        int calls = PROVIDER.requests("writer").size();
        JsonNode dryAgain = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", save,
                "options", Map.of("dry_run", true)));
        assertThat(items(dryAgain.path("id").asString())).allSatisfy(i -> {
            assertThat(i.path("output").path("skipped").asString()).startsWith("already edited by writer 1.0.0 with expand");
            assertThat(i.path("output").path("would_change").asBoolean()).isFalse();
        });
        assertThat(PROVIDER.requests("writer")).hasSize(calls);

        // options.again edits them again, once each
        PROVIDER.script("writer", text("<p>Even longer original text of a post.</p>", 5, 5));
        JsonNode again = job(Map.of("model", "writer", "mode", "edit", "items", edits, "params", save,
                "options", Map.of("again", true)));
        assertThat(again.path("counts").path("succeeded").asInt()).as(again.toString()).isEqualTo(3);
        assertThat(PROVIDER.requests("writer")).hasSize(3);
        assertThat(ids).allSatisfy(id -> {
            assertThat(revisions(id)).isEqualTo(3);
            assertThat(post(id).path("content_html").asString()).isEqualTo("<p>Even longer original text of a post.</p>");
        });

        // the options are refused where a kind does not honour them, and when they are not booleans
        JsonNode notContent = assertProblem(owner.post("/api/jobs", Map.of("model", "demo-model", "items",
                List.of(Map.of("text", "x")), "options", Map.of("dry_run", true))), 400, "invalid_option", "invalid_request");
        assertThat(notContent.path("errors").get(0).path("path").asString()).isEqualTo("$.options.dry_run");
        JsonNode notBoolean = assertProblem(owner.post("/api/jobs", Map.of("model", "writer", "mode", "edit", "items", edits,
                "options", Map.of("again", "yes"))), 400, "invalid_option", "invalid_request");
        assertThat(notBoolean.path("errors").get(0).path("path").asString()).isEqualTo("$.options.again");
        // a single run takes them too; a dry run whose required check fails would not change the post (no 422)
        PROVIDER.script("writer", text("<p>Changed.</p>", 5, 5));
        Response single = owner.post("/api/runs", Map.of("model", "writer", "mode", "edit",
                "input", Map.of("post_id", ids.get(0), "operation", "rewrite"), "params", save, "options", Map.of("dry_run", true)));
        assertThat(single.status()).as(single.describe()).isEqualTo(200);
        JsonNode singleOut = single.json().path("output");
        assertThat(singleOut.path("would_change").asBoolean()).isFalse();
        assertThat(singleOut.path("checks").valueStream().filter(c -> !c.path("passed").asBoolean())
                .map(c -> c.path("name").asString())).containsExactly("length");
        assertThat(revisions(ids.get(0))).isEqualTo(3);
    }
}
