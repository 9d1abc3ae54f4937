package io.aimp.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.catalog.Visibility;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.runs.RunService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Whatever the pipeline refuses with becomes a tool error that carries its code; names stay within the spec. */
class McpToolsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal OWNER = new Principal(Principal.Type.API_KEY, "ws_1", "usr_1", "key_1", "aimp_sk_abcd",
            Role.OWNER, null);

    private final CatalogService catalog = mock(CatalogService.class);
    private final RunService runs = mock(RunService.class);
    private final McpTools tools = new McpTools(catalog, runs, JSON);

    private static PublishedModel model(String slug, String mode) {
        Mode m = new Mode(mode, JSON.readTree("{\"type\":\"object\"}"), JSON.readTree("{\"type\":\"object\"}"), null,
                false, null, null);
        return new PublishedModel("mdl_1", slug, "Model", "A model.", Kind.TEXT, Visibility.PUBLIC, Set.of(),
                Map.of(mode, m), List.of(), null, null, "test");
    }

    @Test
    void should_turn_any_refusal_of_the_pipeline_into_a_tool_error_with_its_code_and_run_id() {
        // given a pipeline that refuses the way an empty wallet does
        when(catalog.visibleTo("ws_1", null, null)).thenReturn(List.of(model("paid-model", "execute")));
        when(runs.submit(any(), any(), any())).thenThrow(GatewayException.of(ErrorCategory.LIMIT, "insufficient_funds",
                "the wallet holds 0.000000 credits; this run may cost up to 0.010000").status(402)
                .with("run_id", "run_123").build());

        // when
        JsonNode result = tools.call(OWNER, JSON.readTree("""
                {"name": "paid-model__execute", "arguments": {"input": {}}}"""), "req_1");

        // then
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.path("content").get(0).path("text").asString())
                .startsWith("insufficient_funds: the wallet holds 0.000000 credits").contains("run_id: run_123");
        assertThat(result.path("_meta").path("io.aimp/code").asString()).isEqualTo("insufficient_funds");
        assertThat(result.path("_meta").path("io.aimp/category").asString()).isEqualTo("limit");
        assertThat(result.has("structuredContent")).isFalse();
    }

    @Test
    void should_keep_tool_names_within_64_allowed_characters_and_distinct() {
        String slug = "a-very-long-model-slug-that-goes-on-and-on-for-quite-a-while-xyz";
        String a = ToolNames.of(slug, "summarize_in_bullet_points");
        String b = ToolNames.of(slug, "summarize_in_bullet_pointz");

        assertThat(ToolNames.of("demo-model", "execute")).isEqualTo("demo-model__execute");
        assertThat(List.of(a, b)).allMatch(n -> n.matches("[A-Za-z0-9_-]{1,64}"));
        assertThat(a).isNotEqualTo(b).isEqualTo(ToolNames.of(slug, "summarize_in_bullet_points"));
        assertThat(ToolNames.of("odd.model", "execute")).matches("odd_model__execute_[0-9a-f]{8}");
    }
}
