package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.common.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ContractValidationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CatalogService catalog = new CatalogService(TestKinds.names(), TestKinds.loader("local")
            .load(List.of(new CatalogLoader.Source("test.yaml", CatalogFiles.textModel("test-model", "")))));

    private final CatalogService demo = new CatalogService(TestKinds.names(), TestKinds.loader("local")
            .load(new CatalogProperties(null, true)));

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private Mode execute(CatalogService service, String slug) {
        return service.find(slug).orElseThrow().mode("execute").orElseThrow();
    }

    @Test
    void should_accept_the_seed_request_for_the_demo_model() {
        Mode mode = execute(demo, "demo-model");

        assertThat(demo.validateInput(mode, json("{\"text\":\"Hello\"}"))).isEmpty();
        assertThat(demo.validateParams(mode, json("{}"))).isEmpty();
        assertThat(demo.validateParams(mode, json("{\"temperature\":0.5}")))
                .singleElement().extracting(FieldError::path).isEqualTo("$.params.temperature");
    }

    @Test
    void should_list_every_input_violation_with_its_json_path() {
        Mode mode = execute(catalog, "test-model");

        List<FieldError> errors = catalog.validateInput(mode, json("{\"count\":\"three\",\"extra\":true}"));

        assertThat(errors).extracting(FieldError::path)
                .containsExactlyInAnyOrder("$.input.text", "$.input.count", "$.input.extra");
        assertThat(errors).contains(new FieldError("$.input.text", "is required"));
        assertThat(errors).filteredOn(e -> e.path().equals("$.input.count")).singleElement()
                .extracting(FieldError::message).asString().contains("string found, integer expected");
        assertThat(errors).filteredOn(e -> e.path().equals("$.input.extra")).singleElement()
                .extracting(FieldError::message).asString().contains("is not allowed");
    }

    @Test
    void should_report_range_violations_of_the_demo_model() {
        Mode mode = execute(demo, "demo-model");

        assertThat(demo.validateInput(mode, json("{\"text\":\"\"}")))
                .singleElement().extracting(FieldError::path).isEqualTo("$.input.text");
        assertThat(demo.validateParams(mode, json("[]")))
                .singleElement().extracting(FieldError::path).isEqualTo("$.params");
    }

    @Test
    void should_name_unknown_params_when_the_mode_declares_no_params_schema() {
        Mode mode = execute(catalog, "test-model");

        assertThat(catalog.validateParams(mode, json("{}"))).isEmpty();
        assertThat(catalog.validateParams(mode, json("{\"temperature\":0.2,\"odd key\":1}")))
                .extracting(FieldError::path).containsExactlyInAnyOrder("$.params.temperature", "$.params['odd key']");
    }

    @Test
    void should_refuse_params_that_are_not_an_object() {
        Mode mode = execute(catalog, "test-model");

        assertThat(catalog.validateParams(mode, json("[1]"))).singleElement()
                .extracting(FieldError::path).isEqualTo("$.params");
    }

    @Test
    void should_find_a_model_by_slug_or_id() {
        PublishedModel m = demo.find("demo-model").orElseThrow();

        assertThat(demo.find(m.id())).contains(m);
        assertThat(demo.find("no-such-model")).isEmpty();
        assertThat(m.release("1.0.0")).contains(m.current());
        assertThat(m.release("0.9.0")).isEmpty();
    }

    @Test
    void should_assert_the_format_of_strings_in_every_contract() {
        CatalogService formats = new CatalogService(TestKinds.names(), TestKinds.loader("local")
                .load(List.of(new CatalogLoader.Source("formats.yaml", """
                        slug: formats
                        name: Formats
                        kind: text
                        description: string formats
                        visibility: public
                        modes:
                          execute:
                            input:
                              type: object
                              properties:
                                email: {type: string, format: email}
                                site: {type: string, format: uri}
                                day: {type: string, format: date}
                                at: {type: string, format: date-time}
                        releases:
                          - version: 1.0.0
                            routes: [{provider: local, model: echo}]
                        text:
                          prompt: "{{input.email}}"
                        """))));
        Mode mode = execute(formats, "formats");

        assertThat(formats.validateInput(mode, json("""
                {"email":"ada@example.com","site":"https://example.com/a","day":"2026-02-28","at":"2026-02-28T10:15:00Z"}""")))
                .isEmpty();
        assertThat(formats.validateInput(mode, json("""
                {"email":"not-an-email","site":"no scheme here","day":"2026-02-30","at":"2026-02-28 10:15"}""")))
                .extracting(FieldError::path)
                .containsExactlyInAnyOrder("$.input.email", "$.input.site", "$.input.day", "$.input.at");
    }
}
