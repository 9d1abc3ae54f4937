package io.aimp.gateway.vectors;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestImages;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Index and search over {@code POST /api/runs} with the seed's shapes, and the knowledge-base routes.
 * Images are uploaded through the media API (init → PUT → complete) as in seed 003.
 */
@CheckedAgainstOpenApi
class VectorsHttpTest extends GatewayHttpTest {

    /** Uploads an image as the seed does and returns its media_ref. */
    String upload(GatewayClient client, byte[] image) {
        boolean png = image.length > 4 && (image[0] & 0xFF) == 0x89 && image[1] == 'P';
        GatewayClient.Response init = client.post("/api/media/upload/init", Map.of(
                "filename", png ? "image.png" : "image.jpg", "content_type", png ? "image/png" : "image/jpeg",
                "media_type", "image", "size_bytes", image.length));
        assertThat(init.status()).as(init.describe()).isEqualTo(201);
        String path = java.net.URI.create(init.get("upload_url")).getPath();
        GatewayClient.Response put = anonymous.send("PUT", path, "application/octet-stream", image);
        assertThat(put.status()).as(put.describe()).isBetween(200, 204);
        GatewayClient.Response done = client.post("/api/media/upload/complete", Map.of("upload_id", init.get("upload_id")));
        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        return done.get("media_ref");
    }

    static Map<String, Object> run(String model, String mode, String scope, Map<String, ?> input, Map<String, ?> params) {
        return scope == null ? Map.of("model", model, "mode", mode, "input", input, "params", params)
                : Map.of("model", model, "mode", mode, "scope", scope, "input", input, "params", params);
    }

    @Test
    void should_index_and_search_images_with_the_seed_shapes_within_one_scope() {
        // given: two different pictures and a resized JPEG copy of the first
        byte[] first = TestImages.gradient(320, 240);
        String one = upload(owner, first);
        String two = upload(owner, TestImages.shapes(320, 240));
        String query = upload(owner, TestImages.recompressed(first, 160, 120));
        String scope = "test";

        // when: indexed as in seed 003
        GatewayClient.Response indexed = owner.post("/api/runs", run("clipo", "index", scope, Map.of(
                "images", List.of(Map.of("media_ref", one, "filename", "image.png"), Map.of("media_ref", two, "filename", "image2.png")),
                "image_ids", List.of("image-1", "image-2")), Map.of()));

        // then
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);
        assertThat(indexed.json().path("output").path("ids").toString()).isEqualTo("[\"image-1\",\"image-2\"]");
        assertThat(indexed.json().path("usage").path("units").asInt()).isEqualTo(2);
        assertThat(indexed.json().path("cost").toString()).isNotEmpty();

        // when: searched with the near-copy in the same scope
        GatewayClient.Response found = owner.post("/api/runs", run("clipo", "search", scope,
                Map.of("image", Map.of("media_ref", query, "filename", "query.png")), Map.of()));

        // then
        assertThat(found.status()).as(found.describe()).isEqualTo(200);
        JsonNode results = found.json().path("output").path("results");
        assertThat(results.size()).isEqualTo(2);
        assertThat(results.get(0).path("id").asString()).isEqualTo("image-1");
        assertThat(results.get(0).path("score").asDouble()).isGreaterThan(results.get(1).path("score").asDouble());
        assertThat(results.get(0).path("filename").asString()).isEqualTo("image.png");
        assertThat(results.get(0).path("media_ref").asString()).isEqualTo(one);

        // and: another scope sees nothing, no scope is refused
        GatewayClient.Response other = owner.post("/api/runs", run("clipo", "search", "other",
                Map.of("image", Map.of("media_ref", query, "filename", "query.png")), Map.of()));
        assertThat(other.status()).as(other.describe()).isEqualTo(200);
        assertThat(other.json().path("output").path("results").size()).isZero();
        GatewayClient.Response noScope = owner.post("/api/runs", run("clipo", "search", null,
                Map.of("image", Map.of("media_ref", query, "filename", "query.png")), Map.of()));
        JsonNode problem = assertProblem(noScope, 400, "scope_required", "invalid_request");
        assertThat(problem.path("errors").get(0).path("path").asString()).isEqualTo("$.scope");

        // and: the execution log shows the search step
        GatewayClient.Response logs = owner.get("/api/logs/executions?run_id=" + found.get("id"));
        assertThat(logs.text()).contains("vector_search").contains("image-features-v1");
    }

    @Test
    void should_drop_an_images_vector_items_when_its_media_is_deleted() {
        // given two indexed images
        byte[] first = TestImages.gradient(320, 240);
        String one = upload(owner, first);
        String two = upload(owner, TestImages.shapes(320, 240));
        String query = upload(owner, TestImages.recompressed(first, 160, 120));
        String scope = "media-delete-" + System.nanoTime();
        GatewayClient.Response indexed = owner.post("/api/runs", run("clipo", "index", scope, Map.of(
                "images", List.of(Map.of("media_ref", one, "filename", "a.png"), Map.of("media_ref", two, "filename", "b.png")),
                "image_ids", List.of("img-a", "img-b")), Map.of()));
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);

        // when the first image's media is deleted
        GatewayClient.Response deleted = owner.delete("/api/media/" + one);
        assertThat(deleted.status()).as(deleted.describe()).isEqualTo(204);

        // then searches no longer find it, and its knowledge base counts one item
        GatewayClient.Response found = owner.post("/api/runs", run("clipo", "search", scope,
                Map.of("image", Map.of("media_ref", query, "filename", "q.png")), Map.of()));
        assertThat(found.status()).as(found.describe()).isEqualTo(200);
        JsonNode results = found.json().path("output").path("results");
        assertThat(results.findValuesAsString("id")).containsExactly("img-b");
        assertThat(results.findValuesAsString("media_ref")).doesNotContain(one);
        JsonNode kb = owner.get("/api/knowledge-bases").json().path("data");
        for (JsonNode k : kb) {
            if (k.path("scope").asString().equals(scope)) {
                assertThat(k.path("items").asInt()).isEqualTo(1);
            }
        }
        assertThat(kb.findValuesAsString("scope")).contains(scope);
        assertProblem(owner.delete("/api/media/" + one), 404, "media_not_found", "invalid_request");
    }

    @Test
    void should_list_page_and_delete_knowledge_bases_of_the_callers_workspace_only() {
        // given
        String scope = "kb-" + UUID.randomUUID().toString().substring(0, 8);
        GatewayClient.Response indexed = owner.post("/api/runs", run("text-embed", "index", scope, Map.of(
                "texts", List.of("Cats sleep most of the day.", "Rust has no garbage collector.", "Paris is the capital of France."),
                "ids", List.of("cats", "rust", "paris"),
                "metadata", List.of(Map.of("topic", "animals"), Map.of("topic", "code"), Map.of("topic", "places"))), Map.of()));
        assertThat(indexed.status()).as(indexed.describe()).isEqualTo(200);

        // when / then: a filtered search
        GatewayClient.Response found = owner.post("/api/runs", run("text-embed", "search", scope,
                Map.of("query", "Which programming language manages memory without a GC?"),
                Map.of("top_k", 2, "filter", Map.of("topic", "code"))));
        assertThat(found.status()).as(found.describe()).isEqualTo(200);
        JsonNode results = found.json().path("output").path("results");
        assertThat(results.size()).isEqualTo(1);
        assertThat(results.get(0).path("id").asString()).isEqualTo("rust");
        assertThat(results.get(0).path("text").asString()).isEqualTo("Rust has no garbage collector.");
        assertThat(results.get(0).path("metadata").path("topic").asString()).isEqualTo("code");

        // when / then: listed and paged
        JsonNode list = owner.get("/api/knowledge-bases").json().path("data");
        JsonNode kb = null;
        for (JsonNode k : list) {
            if (k.path("scope").asString().equals(scope)) {
                kb = k;
            }
        }
        assertThat(kb).isNotNull();
        assertThat(kb.path("model").asString()).isEqualTo("text-embed");
        assertThat(kb.path("collection").asString()).isEqualTo("texts");
        assertThat(kb.path("items").asInt()).isEqualTo(3);
        assertThat(kb.path("dimensions").asInt()).isEqualTo(384);
        GatewayClient.Response page = owner.get("/api/knowledge-bases/text-embed/texts/" + scope + "/items?limit=2&offset=1");
        assertThat(page.status()).as(page.describe()).isEqualTo(200);
        assertThat(page.json().path("data").size()).isEqualTo(2);
        assertThat(page.json().path("data").get(0).path("id").asString()).isEqualTo("paris");
        assertThat(page.json().path("total").asInt()).isEqualTo(3);

        // and: another workspace sees none of it
        GatewayClient stranger = otherWorkspace();
        assertThat(stranger.get("/api/knowledge-bases/text-embed/texts/" + scope + "/items").status()).isEqualTo(404);
        assertThat(stranger.get("/api/knowledge-bases").json().path("data").toString()).doesNotContain(scope);
        assertThat(stranger.delete("/api/knowledge-bases/text-embed/texts/" + scope).status()).isEqualTo(404);
        GatewayClient.Response strangerSearch = stranger.post("/api/runs", run("text-embed", "search", scope,
                Map.of("query", "garbage collector"), Map.of()));
        assertThat(strangerSearch.json().path("output").path("results").size()).isZero();

        // and: deleting needs the admin role
        GatewayClient developer = anonymous.withKey(accounts.key("developer").secret());
        assertProblem(developer.delete("/api/knowledge-bases/text-embed/texts/" + scope), 403, "permission_denied", "permission");
        GatewayClient.Response deleted = owner.delete("/api/knowledge-bases/text-embed/texts/" + scope);
        assertThat(deleted.status()).as(deleted.describe()).isEqualTo(200);
        assertThat(owner.get("/api/knowledge-bases/text-embed/texts/" + scope + "/items").status()).isEqualTo(404);
    }

    @Test
    void should_embed_texts_without_a_scope() {
        GatewayClient.Response r = owner.post("/api/runs", run("text-embed", "embed", null,
                Map.of("texts", List.of("hello world", "good morning")), Map.of()));

        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().path("output").path("dimensions").asInt()).isEqualTo(384);
        assertThat(r.json().path("output").path("vectors").size()).isEqualTo(2);
        assertThat(r.json().path("usage").path("units").asInt()).isEqualTo(2);
    }

    /** A client of a second workspace: a new owner account of this workspace creates it and signs into it. */
    GatewayClient otherWorkspace() {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Other " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        return anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), ws.get("id")).accessToken());
    }
}
