package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.vectors.EmbeddingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code embedding:} block and the modes of embedding models are checked when the catalog loads. */
class EmbeddingCatalogTest {

    @TempDir
    Path dir;

    private final CatalogLoader loader = TestKinds.loader("local");

    static String model(String modes, String block) {
        return """
                slug: vec-model
                kind: embedding
                visibility: public
                modes:
                %s
                releases:
                  - version: 1.0.0
                    routes: [{provider: local, model: all-minilm-l6-v2}]
                %s
                """.formatted(modes.indent(2), block);
    }

    private List<String> problems(String text) throws Exception {
        Files.writeString(dir.resolve("m.yaml"), text);
        try {
            loader.load(new CatalogProperties(dir, false));
            return List.of();
        } catch (CatalogException e) {
            return e.problems();
        }
    }

    @Test
    void should_load_the_demo_embedding_models_with_their_collections() {
        List<PublishedModel> models = loader.load(new CatalogProperties(null, true));

        PublishedModel clipo = models.stream().filter(m -> m.slug().equals("clipo")).findFirst().orElseThrow();
        assertThat(clipo.kind()).isEqualTo(Kind.EMBEDDING);
        assertThat(clipo.settings(EmbeddingSettings.class).collection()).isEqualTo("images");
        assertThat(clipo.description()).contains("not semantic CLIP search").contains("CLIP-serving provider");
        assertThat(clipo.modes()).containsOnlyKeys("index", "search", "delete", "embed");
        assertThat(clipo.mode("index").orElseThrow().vector()).isTrue();
        assertThat(clipo.mode("search").orElseThrow().vector()).isTrue();
        assertThat(clipo.mode("embed").orElseThrow().vector()).isFalse();
        assertThat(clipo.current().pricing().perItemMicros()).isEqualTo(100);
        PublishedModel text = models.stream().filter(m -> m.slug().equals("text-embed")).findFirst().orElseThrow();
        assertThat(text.settings(EmbeddingSettings.class).dimensions()).isEqualTo(384);
    }

    @Test
    void should_require_a_collection() throws Exception {
        assertThat(problems(model("embed: {input: {type: object}}", "")))
                .anySatisfy(p -> assertThat(p).contains("embedding is required"));
        assertThat(problems(model("embed: {input: {type: object}}", "embedding: {input: text}")))
                .anySatisfy(p -> assertThat(p).contains("embedding.collection is required"));
        assertThat(problems(model("embed: {input: {type: object}}", "embedding: {collection: 'a b'}")))
                .anySatisfy(p -> assertThat(p).contains("embedding.collection 'a b' must match"));
    }

    @Test
    void should_refuse_unknown_fields_inputs_and_dimensions() throws Exception {
        assertThat(problems(model("embed: {input: {type: object}}",
                "embedding: {collection: docs, input: audio, dimensions: 0, embedder: x}")))
                .anySatisfy(p -> assertThat(p).contains("embedding.input 'audio' must be one of text, image"))
                .anySatisfy(p -> assertThat(p).contains("embedding.dimensions '0' must be a whole number"))
                .anySatisfy(p -> assertThat(p).contains("embedding.embedder is not a known field"));
    }

    @Test
    void should_require_index_search_and_delete_to_be_vector_modes_and_refuse_other_modes() throws Exception {
        List<String> found = problems(model("""
                index: {input: {type: object}}
                search: {input: {type: object}, vector: true}
                execute: {input: {type: object}}""", "embedding: {collection: docs}"));

        assertThat(found).anySatisfy(p -> assertThat(p).contains("modes.index.vector must be true"))
                .anySatisfy(p -> assertThat(p).contains("modes.execute is not an embedding operation"))
                .noneSatisfy(p -> assertThat(p).contains("modes.search"));
    }
}
