package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.text.TextSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {

    private static final Set<String> PROVIDERS = Set.of("local", "openai");

    @TempDir
    Path dir;

    private final CatalogLoader loader = new CatalogLoader(PROVIDERS, TestKinds.builtIn());

    private List<PublishedModel> load() {
        return loader.load(new CatalogProperties(dir, false));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Loads a single malformed file and returns the problems, asserting each names the file. */
    private List<String> problemsOf(String text) throws IOException {
        Path file = write("model.yaml", text);
        try {
            load();
        } catch (CatalogException e) {
            assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith(file + ": "));
            assertThat(e.getMessage()).contains(file.toString());
            return e.problems();
        }
        throw new AssertionError("the catalog loaded although " + file + " is invalid");
    }

    @Test
    void should_load_the_demo_catalog() {
        List<PublishedModel> models = loader.load(new CatalogProperties(null, true));

        PublishedModel demo = models.stream().filter(m -> m.slug().equals("demo-model")).findFirst().orElseThrow();
        assertThat(demo.kind()).isEqualTo(Kind.TEXT);
        assertThat(demo.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(demo.source()).isEqualTo("classpath:catalog/demo-model.yaml");
        assertThat(demo.modes()).containsOnlyKeys("execute");
        assertThat(demo.current().version()).isEqualTo("1.0.0");
        assertThat(demo.current().hardwareTier()).isEqualTo("cpu");
        assertThat(demo.current().routes()).containsExactly(new RouteSpec("local", "extractive-summary", Duration.ofSeconds(10)));
        assertThat(demo.current().pricing().perRunMicros()).isEqualTo(1_000);
        assertThat(demo.current().limits().requestsPerMinute()).isEqualTo(600);
        assertThat(demo.settings(TextSettings.class).prompt().execute(java.util.Map.of("input", java.util.Map.of("text", "Hello")))).isEqualTo("Hello");
        assertThat(demo.id()).isEqualTo(CatalogFileParser.derivedId("demo-model"));
    }

    @Test
    void should_load_files_from_the_catalog_dir_with_defaults() throws IOException {
        write("a.yaml", CatalogFiles.textModel("alpha", ""));
        write("b.yml", CatalogFiles.textModel("beta", "id: mdl_beta1234"));
        write("notes.txt", "not a catalog file");

        List<PublishedModel> models = load();

        assertThat(models).extracting(PublishedModel::slug).containsExactly("alpha", "beta");
        PublishedModel alpha = models.getFirst();
        assertThat(alpha.current().routes().getFirst().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(alpha.current().hardwareTier()).isEqualTo("cpu");
        assertThat(alpha.current().limits()).isEqualTo(ReleaseLimits.NONE);
        assertThat(alpha.mode("execute").orElseThrow().paramsSchema()).isEqualTo(JsonSchemas.DEFAULT_PARAMS);
        assertThat(models.get(1).id()).isEqualTo("mdl_beta1234");
    }

    @Test
    void should_derive_the_same_id_from_the_same_slug() {
        String id = CatalogFileParser.derivedId("support-bot");

        assertThat(id).isEqualTo(CatalogFileParser.derivedId("support-bot"))
                .matches(CatalogFileParser.MODEL_ID)
                .hasSize(24)
                // SHA-256("support-bot") starts with these hex digits; a change here breaks ids stored elsewhere
                .isEqualTo("mdl_" + sha256Hex("support-bot").substring(0, 20));
        assertThat(CatalogFileParser.derivedId("support-bot2")).isNotEqualTo(id);
    }

    @Test
    void should_parse_prices_exactly() throws IOException {
        write("m.yaml", CatalogFiles.withRelease("priced", """
                - version: 1.0.0
                  routes: [{provider: local, model: x}]
                  pricing: {per_run: 0.37, per_1k_input_tokens: 0.000001, per_1k_output_tokens: "1.5", per_image: 2, per_item: 0.1}
                """));

        Pricing p = load().getFirst().current().pricing();

        assertThat(p).isEqualTo(new Pricing(370_000, 1, 1_500_000, 2_000_000, 100_000));
    }

    @Test
    void should_pick_the_current_release_named_by_current() throws IOException {
        write("m.yaml", CatalogFiles.withRelease("two", """
                - version: 2.0.0-beta.1
                  routes: [{provider: openai, model: gpt}]
                - version: 1.0.0
                  deprecated: use 2.0.0
                  routes: [{provider: local, model: x}]
                """) + "current: 1.0.0\n");

        PublishedModel m = load().getFirst();

        assertThat(m.current().version()).isEqualTo("1.0.0");
        assertThat(m.current().deprecated()).isEqualTo("use 2.0.0");
        assertThat(m.release("2.0.0-beta.1")).isPresent();
    }

    @Test
    void should_refuse_yaml_syntax_errors() throws IOException {
        assertThat(problemsOf("slug: [unclosed\nkind: text\n"))
                .singleElement().asString().contains("is not valid YAML").contains("line");
    }

    @Test
    void should_refuse_duplicate_yaml_keys() throws IOException {
        assertThat(problemsOf(CatalogFiles.textModel("dup", "slug: again")))
                .singleElement().asString().contains("is not valid YAML").contains("slug");
    }

    @Test
    void should_refuse_unknown_top_level_and_nested_fields() throws IOException {
        String text = CatalogFiles.textModel("unknown", "colour: blue")
                .replace("pricing: {per_run: 0.01}", "pricing: {per_run: 0.01, per_call: 1}")
                .replace("routes: [{provider: local, model: echo}]", "routes: [{provider: local, model: echo, retries: 2}]");

        assertThat(problemsOf(text)).anySatisfy(p -> assertThat(p).contains(": colour is not a known field"))
                .anySatisfy(p -> assertThat(p).contains(": releases[0].pricing.per_call is not a known field"))
                .anySatisfy(p -> assertThat(p).contains(": releases[0].routes[0].retries is not a known field"));
    }

    @Test
    void should_refuse_a_bad_slug() throws IOException {
        assertThat(problemsOf(CatalogFiles.textModel("Bad_Slug", "")))
                .singleElement().asString().contains("slug 'Bad_Slug' must match");
    }

    @Test
    void should_refuse_a_bad_explicit_id() throws IOException {
        assertThat(problemsOf(CatalogFiles.textModel("good", "id: model-1")))
                .singleElement().asString().contains("id 'model-1' must match");
    }

    @Test
    void should_refuse_duplicate_slugs_naming_both_files() throws IOException {
        Path first = write("a.yaml", CatalogFiles.textModel("same", ""));
        Path second = write("b.yaml", CatalogFiles.textModel("same", ""));

        assertThatThrownBy(this::load).isInstanceOf(CatalogException.class)
                .hasMessageContaining(second + ": slug 'same' is already used by " + first);
    }

    @Test
    void should_refuse_duplicate_ids_naming_both_files() throws IOException {
        Path first = write("a.yaml", CatalogFiles.textModel("one", "id: mdl_shared1"));
        Path second = write("b.yaml", CatalogFiles.textModel("two", "id: mdl_shared1"));

        assertThatThrownBy(this::load).isInstanceOf(CatalogException.class)
                .hasMessageContaining(second + ": id 'mdl_shared1' is already used by " + first);
    }

    @Test
    void should_refuse_a_slug_already_used_by_the_demo_catalog() throws IOException {
        Path file = write("demo.yaml", CatalogFiles.textModel("demo-model", ""));

        assertThatThrownBy(() -> loader.load(new CatalogProperties(dir, true)))
                .hasMessageContaining(file + ": slug 'demo-model' is already used by classpath:catalog/demo-model.yaml");
    }

    @Test
    void should_refuse_a_kind_without_an_executor_on_one_line_naming_the_file_and_the_kind() throws IOException {
        for (String kind : List.of("poem", "haiku")) {
            String text = CatalogFiles.textModel("no-executor", "")
                    .replace("kind: text", "kind: " + kind).replace("text:\n  prompt:", kind + ":\n  prompt:");
            Path file = write("model.yaml", text);

            assertThatThrownBy(this::load).isInstanceOfSatisfying(CatalogException.class, e -> {
                assertThat(e.problems()).containsExactly(file + ": kind '" + kind
                        + "' is not a kind this gateway runs (no executor for it); use one of assistant, chat, content, embedding, form, image, text, workflow");
                assertThat(e.getMessage()).doesNotContain("\n").contains(file + ": kind '" + kind + "'");
            });
        }
    }

    @Test
    void should_refuse_unknown_kind_and_visibility() throws IOException {
        String text = CatalogFiles.textModel("k", "").replace("kind: text", "kind: poem").replace("visibility: public", "visibility: secret");

        assertThat(problemsOf(text))
                .anySatisfy(p -> assertThat(p).contains("kind 'poem' is not a kind this gateway runs (no executor for it);"
                        + " use one of assistant, chat, content, embedding, form, image, text, workflow"))
                .anySatisfy(p -> assertThat(p).contains("visibility 'secret' is not a visibility"));
    }

    @Test
    void should_refuse_a_model_without_modes() throws IOException {
        String text = CatalogFiles.withRelease("nomodes", "- {version: 1.0.0, routes: [{provider: local, model: x}]}")
                .replace("modes:\n  execute:\n    input: {type: object}\n", "");

        assertThat(problemsOf(text)).singleElement().asString().contains(": modes is required");
    }

    @Test
    void should_refuse_a_bad_mode_name() throws IOException {
        String text = CatalogFiles.textModel("modes-test", "").replace("  execute:", "  Execute-Now:");

        assertThat(problemsOf(text)).singleElement().asString().contains("modes.Execute-Now is not a valid mode name");
    }

    @Test
    void should_refuse_a_missing_input_schema() throws IOException {
        String text = CatalogFiles.withRelease("noinput", "- {version: 1.0.0, routes: [{provider: local, model: x}]}")
                .replace("input: {type: object}", "description: nothing");

        assertThat(problemsOf(text)).singleElement().asString().contains("modes.execute.input is required");
    }

    @Test
    void should_refuse_an_input_schema_that_is_not_json_schema() throws IOException {
        String text = CatalogFiles.textModel("badschema", "").replace("text: {type: string, minLength: 1}", "text: {type: strin}");

        assertThat(problemsOf(text)).anySatisfy(p -> assertThat(p)
                .contains("modes.execute.input is not a valid JSON Schema 2020-12: properties.text.type"));
    }

    @Test
    void should_refuse_a_schema_that_does_not_compile() throws IOException {
        String text = CatalogFiles.textModel("badref", "").replace("text: {type: string, minLength: 1}", "text: {$ref: '#/nowhere'}");

        assertThat(problemsOf(text)).singleElement().asString()
                .contains("modes.execute.input is not a valid JSON Schema 2020-12: does not compile");
    }

    @Test
    void should_refuse_an_invalid_params_schema() throws IOException {
        String text = CatalogFiles.textModel("badparams", "")
                .replace("        count: {type: integer, minimum: 1}\n",
                        "        count: {type: integer, minimum: 1}\n    params: {type: object, properties: {n: {minimum: one}}}\n");

        assertThat(problemsOf(text)).singleElement().asString()
                .contains("modes.execute.params is not a valid JSON Schema 2020-12: properties.n.minimum");
    }

    @Test
    void should_refuse_a_model_without_releases() throws IOException {
        String text = CatalogFiles.withRelease("norel", "[]");

        assertThat(problemsOf(text)).singleElement().asString().contains("releases must be a list of at least one release");
    }

    @Test
    void should_refuse_duplicate_release_versions() throws IOException {
        String text = CatalogFiles.withRelease("duprel", """
                - {version: 1.0.0, routes: [{provider: local, model: x}]}
                - {version: 1.0.0, routes: [{provider: local, model: y}]}
                """);

        assertThat(problemsOf(text)).singleElement().asString()
                .contains("releases[1].version '1.0.0' is already used by releases[0]");
    }

    @Test
    void should_refuse_a_version_that_is_not_semver() throws IOException {
        String text = CatalogFiles.withRelease("nosemver", "- {version: 1.0, routes: [{provider: local, model: x}]}");

        assertThat(problemsOf(text)).singleElement().asString()
                .contains("releases[0].version '1.0' must look like 1.2.3").contains("YAML read it as a number");
    }

    @Test
    void should_refuse_a_release_without_routes() throws IOException {
        String text = CatalogFiles.withRelease("noroutes", "- {version: 1.0.0, routes: []}");

        assertThat(problemsOf(text)).singleElement().asString().contains("releases[0].routes must list at least one route");
    }

    @Test
    void should_refuse_route_with_unknown_provider() throws IOException {
        String text = CatalogFiles.withRelease("noprov", """
                - version: 1.0.0
                  routes: [{provider: local, model: x}, {provider: nope, model: y}]
                """);

        assertThat(problemsOf(text)).singleElement().asString()
                .contains("releases[0].routes[1].provider 'nope' is not configured (configure aimp.providers.nope");
    }

    @Test
    void should_refuse_a_timeout_out_of_range() throws IOException {
        String text = CatalogFiles.withRelease("slow", """
                - version: 1.0.0
                  routes: [{provider: local, model: x, timeout_ms: 600001}, {provider: local, model: y, timeout_ms: 0}]
                """);

        assertThat(problemsOf(text))
                .anySatisfy(p -> assertThat(p).contains("releases[0].routes[0].timeout_ms '600001' must be a whole number of milliseconds from 1 to 600000"))
                .anySatisfy(p -> assertThat(p).contains("releases[0].routes[1].timeout_ms '0'"));
    }

    @Test
    void should_refuse_prices_with_more_than_six_decimals_or_below_zero() throws IOException {
        String text = CatalogFiles.withRelease("badprice", """
                - version: 1.0.0
                  routes: [{provider: local, model: x}]
                  pricing: {per_run: 0.0000001, per_item: -1, per_image: free}
                """);

        assertThat(problemsOf(text))
                .anySatisfy(p -> assertThat(p).contains("releases[0].pricing.per_run '0.0000001' has more than 6 decimals"))
                .anySatisfy(p -> assertThat(p).contains("releases[0].pricing.per_item '-1' must not be negative"))
                .anySatisfy(p -> assertThat(p).contains("releases[0].pricing.per_image 'free' must be an amount of credits"));
    }

    @Test
    void should_refuse_current_naming_a_missing_version() throws IOException {
        assertThat(problemsOf(CatalogFiles.textModel("cur", "current: 9.9.9"))).singleElement().asString()
                .contains("current names version '9.9.9', which is not among releases (1.0.0)");
    }

    @Test
    void should_refuse_a_private_model_without_workspaces() throws IOException {
        String text = CatalogFiles.textModel("priv", "").replace("visibility: public", "visibility: private");

        assertThat(problemsOf(text)).singleElement().asString().contains("workspaces is required for a private model");
    }

    @Test
    void should_refuse_a_text_model_without_prompt() throws IOException {
        String text = CatalogFiles.textModel("noprompt", "").replace("  prompt: \"{{input.text}}\"", "  system: hi");

        assertThat(problemsOf(text)).singleElement().asString().contains("text.prompt is required");
    }

    @Test
    void should_refuse_a_prompt_that_is_not_a_mustache_template() throws IOException {
        String text = CatalogFiles.textModel("badtemplate", "").replace("\"{{input.text}}\"", "\"{{#input}}unclosed\"");

        assertThat(problemsOf(text)).singleElement().asString().contains("text.prompt is not a valid Mustache template");
    }

    @Test
    void should_refuse_a_block_of_another_kind() throws IOException {
        assertThat(problemsOf(CatalogFiles.textModel("twoblocks", "chat: {persona: hi}"))).singleElement().asString()
                .contains(": chat block does not belong to a text model: the kind block must be named 'text'");
    }

    @Test
    void should_report_every_problem_of_a_file_at_once() throws IOException {
        String text = CatalogFiles.withRelease("Many", """
                - version: one
                  routes: [{provider: nope, model: x}]
                """).replace("kind: text", "kind: poem");

        assertThat(problemsOf(text)).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void should_refuse_a_missing_catalog_dir_naming_the_setting() {
        Path missing = dir.resolve("absent");

        assertThatThrownBy(() -> loader.load(new CatalogProperties(missing, false)))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("aimp.catalog-dir").hasMessageContaining(missing.toString());
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
