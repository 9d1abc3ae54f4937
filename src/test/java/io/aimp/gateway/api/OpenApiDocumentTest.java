package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The document at /api/openapi.json parses without errors and describes the API as it is called. */
class OpenApiDocumentTest extends GatewayHttpTest {

    private OpenAPI api;
    private String text;

    @BeforeEach
    void parse() {
        GatewayClient.Response doc = anonymous.get("/api/openapi.json");
        assertThat(doc.status()).as(doc.describe()).isEqualTo(200);
        text = doc.text();
        try {
            // kept beside the test reports, for reading and for generating clients
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SwaggerParseResult result = new OpenAPIParser().readContents(text, null, null);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        api = result.getOpenAPI();
    }

    private List<Map.Entry<String, Operation>> operations() {
        List<Map.Entry<String, Operation>> ops = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, op) -> ops.add(Map.entry(method + " " + path, op))));
        return ops;
    }

    @Test
    void should_name_the_api_its_version_and_server() {
        assertThat(api.getOpenapi()).startsWith("3.0");
        assertThat(api.getInfo().getTitle()).isEqualTo("AIMP Gateway API");
        assertThat(api.getInfo().getVersion()).isNotBlank().isNotEqualTo("v0");
        assertThat(api.getInfo().getDescription()).contains("X-API-Key").contains("problem");
        assertThat(api.getServers()).extracting(s -> s.getUrl()).containsExactly(PUBLIC_URL);
    }

    @Test
    void should_declare_api_key_and_bearer_and_apply_them_to_every_private_operation() {
        var schemes = api.getComponents().getSecuritySchemes();
        assertThat(schemes.get("ApiKey").getName()).isEqualTo("X-API-Key");
        assertThat(schemes.get("ApiKey").getIn().toString()).isEqualTo("header");
        assertThat(schemes.get("BearerToken").getScheme()).isEqualTo("bearer");
        for (var e : operations()) {
            boolean open = PublicRoutes.isPublic(e.getKey().split(" ")[0], e.getKey().split(" ")[1].replaceAll("\\{[^}]+}", "x"));
            var security = e.getValue().getSecurity();
            assertThat(security).as(e.getKey()).isNotNull();
            if (open) {
                assertThat(security).as(e.getKey() + " is public").isEmpty();
            } else if (e.getKey().endsWith(" /mcp")) {
                // MCP clients authenticate with an API key; an access token is refused there
                assertThat(security).as(e.getKey()).flatExtracting(r -> r.keySet()).containsExactly("ApiKey");
                assertThat(e.getValue().getResponses()).as(e.getKey()).containsKeys("401", "403");
            } else {
                assertThat(security).as(e.getKey()).flatExtracting(r -> r.keySet()).containsExactlyInAnyOrder("ApiKey", "BearerToken");
                assertThat(e.getValue().getResponses()).as(e.getKey()).containsKeys("401", "403");
            }
        }
        assertThat(api.getPaths().get("/api/status").getGet().getSecurity()).isEmpty();
        assertThat(api.getPaths().get("/api/auth/login").getPost().getSecurity()).isEmpty();
        assertThat(api.getPaths().get("/api/media/upload/{token}").getPut().getSecurity()).isEmpty();
        assertThat(api.getPaths().get("/api/runs").getPost().getSecurity()).hasSize(2);
    }

    @Test
    void should_not_show_the_principal_parameter_the_error_route_or_jackson_internals() {
        for (var e : operations()) {
            List<Parameter> params = e.getValue().getParameters() == null ? List.of() : e.getValue().getParameters();
            assertThat(params).as(e.getKey()).extracting(Parameter::getName).doesNotContain("principal", "request", "response");
        }
        assertThat(api.getPaths()).doesNotContainKey("/error");
        // Jackson's tree model is any JSON value on the wire, not its getters
        api.getComponents().getSchemas().forEach((name, schema) -> {
            if (name.startsWith("JsonNode")) {
                assertThat(schema.getProperties()).as(name).isNull();
            }
        });
        assertThat(text).doesNotContain("containerNode").doesNotContain("nodeType");
        // answers are JSON, except the media download, which has the media's own type
        for (var e : operations()) {
            e.getValue().getResponses().forEach((status, r) -> {
                if (status.startsWith("2") && r.getContent() != null && !e.getKey().endsWith("/content")) {
                    assertThat(r.getContent()).as(e.getKey() + " " + status).containsOnlyKeys("application/json");
                }
            });
        }
    }

    @Test
    void should_give_every_operation_problem_responses_with_field_errors() {
        var problem = api.getComponents().getSchemas().get("Problem");
        assertThat(problem.getRequired()).contains("type", "title", "status", "detail", "code", "category", "request_id");
        assertThat(problem.getProperties()).containsKey("errors");
        for (var e : operations()) {
            var responses = e.getValue().getResponses();
            assertThat(responses).as(e.getKey()).containsKeys("400", "404", "429", "500");
            assertThat(responses.getDefault()).as(e.getKey()).isNotNull();
            // the one exception: the MCP transport refuses a posted message with a JSON-RPC error object, the wire
            // format MCP clients read (the Streamable HTTP transport of the MCP specification); its other refusals,
            // made by the HTTP edge before the transport sees the message, are problem JSON like every other route's
            boolean mcpPost = e.getKey().equalsIgnoreCase("post /mcp");
            responses.forEach((status, r) -> {
                if (mcpPost && OpenApiContract.MCP_TRANSPORT_ERRORS.containsKey(status)) {
                    assertThat(r.getContent()).as(e.getKey() + " " + status).containsOnlyKeys("application/json");
                    assertThat(r.getContent().get("application/json").getSchema().get$ref())
                            .isEqualTo("#/components/schemas/JsonRpcError");
                } else if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(r.getContent()).as(e.getKey() + " " + status).containsOnlyKeys("application/problem+json");
                    assertThat(r.getContent().get("application/problem+json").getSchema().get$ref())
                            .isEqualTo("#/components/schemas/Problem");
                }
            });
        }
    }

    @Test
    void should_describe_the_mcp_transport_answers_as_the_server_gives_them() {
        var mcp = api.getPaths().get("/mcp");
        assertThat(mcp.getPost().getResponses()).containsKeys("200", "202", "400", "401", "403", "404", "406", "413", "415");
        assertThat(mcp.getPost().getResponses().get("401").getContent()).containsOnlyKeys("application/problem+json");
        assertThat(api.getComponents().getSchemas().get("JsonRpcError").getRequired()).containsExactlyInAnyOrder("jsonrpc", "id", "error");
        // no server-initiated stream: GET answers 405, never 200
        assertThat(mcp.getGet().getResponses()).containsKey("405").doesNotContainKey("200");
        assertThat(mcp.getGet().getResponses().get("405").getHeaders()).containsKey("Allow");
        assertThat(mcp.getDelete().getResponses()).containsKey("204").doesNotContainKey("200");
    }

    @Test
    void should_type_the_run_request_with_the_seed_example_and_the_run() {
        var post = api.getPaths().get("/api/runs").getPost();
        var body = post.getRequestBody().getContent().get("application/json");
        assertThat(body.getSchema().get$ref()).isEqualTo("#/components/schemas/RunRequest");
        assertThat(body.getExamples().get("seed").getValue().toString()).contains("demo-model").contains("playground");
        assertThat(post.getResponses().get("200").getContent().get("application/json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Run");
        assertThat(post.getResponses().get("202").getHeaders()).containsKey("Location");
        assertThat(api.getComponents().getSchemas().get("RunRequest").getRequired()).containsExactlyInAnyOrder("model", "input");
    }

    @Test
    void should_type_the_content_library_and_form_routes() {
        var paths = api.getPaths();
        assertThat(paths.get("/api/content/posts/{id}").getPatch().getRequestBody().getContent().get("application/json")
                .getSchema().get$ref()).isEqualTo("#/components/schemas/PostPatch");
        assertThat(response(paths.get("/api/content/posts/{id}").getGet())).isEqualTo("#/components/schemas/Post");
        assertThat(response(paths.get("/api/content/posts").getGet())).isEqualTo("#/components/schemas/PostList");
        assertThat(response(paths.get("/api/content/posts/{id}/revisions").getGet()))
                .isEqualTo("#/components/schemas/PostRevisionList");
        assertThat(response(paths.get("/api/content/posts/{id}/revisions/{n}").getGet()))
                .isEqualTo("#/components/schemas/PostRevision");
        assertThat(response(paths.get("/api/content/posts/{id}/revisions/{n}/restore").getPost()))
                .isEqualTo("#/components/schemas/Post");
        assertThat(response(paths.get("/api/forms/{slug}").getGet())).isEqualTo("#/components/schemas/Form");
        assertThat(api.getComponents().getSchemas().get("Post").getProperties()).containsKey("featured_image");
    }

    private static String response(io.swagger.v3.oas.models.Operation op) {
        return op.getResponses().get("200").getContent().get("application/json").getSchema().get$ref();
    }

    @Test
    void should_offer_the_docs_ui_on_this_document_with_authorization_kept() {
        GatewayClient.Response docs = anonymous.get("/api/docs");
        assertThat(docs.status()).as(docs.describe()).isIn(200, 302);
        GatewayClient.Response config = anonymous.get("/api/openapi.json/swagger-config");
        assertThat(config.status()).as(config.describe()).isEqualTo(200);
        assertThat(config.json().path("url").asString()).isEqualTo("/api/openapi.json");
        assertThat(config.json().path("persistAuthorization").asBoolean()).isTrue();
        // the UI's Authorize dialog offers what the document declares
        assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys("ApiKey", "BearerToken");
    }
}
