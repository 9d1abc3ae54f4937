package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.catalog.MarketplaceViews.ModelDetail;
import io.aimp.gateway.catalog.MarketplaceViews.ModelList;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class MarketplaceControllerTest {

    // The wire mapper's naming strategy (see api/WebConfig), so field names are checked as clients see them.
    private static final JsonMapper WIRE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final MarketplaceController controller = new MarketplaceController(new CatalogService(
            TestKinds.names(), TestKinds.loader("local", "openai").load(List.of(
                    new CatalogLoader.Source("a.yaml", CatalogFiles.textModel("alpha-writer", "")),
                    new CatalogLoader.Source("b.yaml", CatalogFiles.textModel("beta-private", "workspaces: [ws_1]")
                            .replace("visibility: public", "visibility: private")),
                    new CatalogLoader.Source("c.yaml", chatModel())))), List.of());

    private static Principal in(String workspaceId) {
        return new Principal(Principal.Type.API_KEY, workspaceId, "usr_1", "key_1", "aimp_x", Role.VIEWER, null);
    }

    private static String chatModel() {
        return """
                slug: gamma-chat
                name: Gamma
                kind: chat
                description: Answers questions about Gamma.
                visibility: public
                modes:
                  chat:
                    input: {type: object, required: [message], properties: {message: {type: string}}}
                    params: {type: object, properties: {temperature: {type: number}}}
                    vector: false
                releases:
                  - version: 2.0.0
                    hardware_tier: gpu-small
                    routes: [{provider: openai, model: gpt-4o-mini}]
                    pricing: {per_1k_input_tokens: 0.15, per_1k_output_tokens: 0.6}
                    limits: {requests_per_minute: 60, max_tokens: 1024}
                  - version: 1.0.0
                    deprecated: use 2.0.0
                    routes: [{provider: openai, model: gpt-4o-mini}]
                    pricing: {per_run: 0.01}
                chat: {persona: "You are Gamma."}
                """;
    }

    @Test
    void should_list_public_models_and_the_private_models_of_the_callers_workspace() {
        assertThat(controller.list(in("ws_2"), null, null, null, null).data())
                .extracting(MarketplaceViews.ModelSummary::slug).containsExactly("alpha-writer", "gamma-chat");
        assertThat(controller.list(in("ws_1"), null, null, null, null).data())
                .extracting(MarketplaceViews.ModelSummary::slug).containsExactly("alpha-writer", "beta-private", "gamma-chat");
    }

    @Test
    void should_filter_by_kind_and_text_and_page() {
        assertThat(controller.list(in("ws_1"), "chat", null, null, null).data())
                .extracting(MarketplaceViews.ModelSummary::slug).containsExactly("gamma-chat");
        assertThat(controller.list(in("ws_1"), null, "QUESTIONS", null, null).data())
                .extracting(MarketplaceViews.ModelSummary::slug).containsExactly("gamma-chat");

        ModelList page = controller.list(in("ws_1"), null, null, "1", "1");

        assertThat(page.data()).extracting(MarketplaceViews.ModelSummary::slug).containsExactly("beta-private");
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.limit()).isEqualTo(1);
        assertThat(page.offset()).isEqualTo(1);
    }

    @Test
    void should_answer_the_list_in_the_wire_format() {
        JsonNode body = WIRE.valueToTree(controller.list(in("ws_2"), "chat", null, null, null));

        assertThat(body.get("object").stringValue()).isEqualTo("list");
        assertThat(body.get("total").intValue()).isEqualTo(1);
        assertThat(body.get("limit").intValue()).isEqualTo(20);
        JsonNode model = body.get("data").get(0);
        assertThat(model.get("object").stringValue()).isEqualTo("model");
        assertThat(model.get("id").stringValue()).startsWith("mdl_");
        assertThat(model.get("kind").stringValue()).isEqualTo("chat");
        assertThat(model.get("visibility").stringValue()).isEqualTo("public");
        assertThat(model.get("current_release").stringValue()).isEqualTo("2.0.0");
        assertThat(model.get("modes").toString()).isEqualTo("[\"chat\"]");
        assertThat(model.get("pricing").get("per_1k_input_tokens").stringValue()).isEqualTo("0.150000");
        assertThat(model.get("pricing").get("per_run").stringValue()).isEqualTo("0.000000");
        assertThat(model.get("deprecated").booleanValue()).isFalse();
    }

    @Test
    void should_show_the_contract_and_release_history_but_never_routes() {
        ModelDetail detail = controller.get(in("ws_2"), "gamma-chat");
        JsonNode body = WIRE.valueToTree(detail);

        JsonNode chat = body.get("contract").get("chat");
        assertThat(chat.get("input").get("required").get(0).stringValue()).isEqualTo("message");
        assertThat(chat.get("params").get("properties").has("temperature")).isTrue();
        assertThat(chat.get("vector").booleanValue()).isFalse();
        assertThat(chat.has("schemas")).isFalse();
        JsonNode releases = body.get("releases");
        assertThat(releases).hasSize(2);
        assertThat(releases.get(0).get("current").booleanValue()).isTrue();
        assertThat(releases.get(0).get("hardware_tier").stringValue()).isEqualTo("gpu-small");
        assertThat(releases.get(0).get("limits").get("requests_per_minute").intValue()).isEqualTo(60);
        assertThat(releases.get(1).get("deprecated").stringValue()).isEqualTo("use 2.0.0");
        assertThat(releases.get(1).get("pricing").get("per_run").stringValue()).isEqualTo("0.010000");
        assertThat(body.toString()).doesNotContain("routes").doesNotContain("openai").doesNotContain("gpt-4o-mini");
    }

    @Test
    void should_find_a_model_by_id_too() {
        String id = controller.get(in("ws_2"), "alpha-writer").id();

        assertThat(controller.get(in("ws_2"), id).slug()).isEqualTo("alpha-writer");
    }

    @Test
    void should_answer_404_for_an_unknown_or_invisible_model() {
        assertThatThrownBy(() -> controller.get(in("ws_2"), "no-such-model"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> controller.get(in("ws_2"), "beta-private"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(controller.get(in("ws_1"), "beta-private").slug()).isEqualTo("beta-private");
    }

    @Test
    void should_refuse_bad_query_parameters_naming_them() {
        assertThatThrownBy(() -> controller.list(in("ws_1"), null, null, "0", null))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("limit", "limit must be a whole number from 1 to 100")));
        assertThatThrownBy(() -> controller.list(in("ws_1"), null, null, "abc", null))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> controller.list(in("ws_1"), null, null, null, "-1"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::path).containsExactly("offset"));
        assertThatThrownBy(() -> controller.list(in("ws_1"), "poem", null, null, null))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::path).containsExactly("kind"));
    }
}
