package io.aimp.gateway.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.aimp.gateway.auth.Principal;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /api/openapi.json} as the API's contract. One customizer walks every
 * operation springdoc finds, so a new route gets the same treatment without annotations: the
 * {@code X-API-Key} and bearer security schemes (or none, for the routes in {@link PublicRoutes}), the
 * problem responses every route can give, JSON as its media type, and, where {@link ApiSchemas} names
 * one, a typed request and response schema.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiContract {

    static final String API_KEY = "ApiKey";
    static final String BEARER = "BearerToken";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";

    static {
        // the principal comes from the edge filter, never from the request's query string or body
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Principal.class);
    }

    /** Problem answers on every route; authentication and permission ones only where a principal is needed. */
    private static final Map<String, String> PROBLEMS = Map.of(
            "400", "Invalid request: the problem names the fix and lists field errors in errors[]",
            "404", "No such route or resource",
            "413", "Body larger than allowed",
            "415", "Body not of a supported media type",
            "429", "A limit was reached; Retry-After says when to try again",
            "500", "Unexpected failure (the problem carries the request id, never internals)");
    private static final Map<String, String> PRINCIPAL_PROBLEMS = Map.of(
            "401", "No valid API key or access token",
            "403", "The key or role may not do this");

    @Bean
    OpenAPI gatewayOpenApi(ObjectProvider<BuildProperties> build,
                           @Value("${aimp.public-url:http://localhost:8080}") String publicUrl) {
        BuildProperties b = build.getIfAvailable();
        String version = b != null ? b.getVersion() : "dev";
        Components components = new Components()
                .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("X-API-Key")
                        .description("A workspace API key (aimp_...), created with POST /api/keys or printed at first start"))
                .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("An access token from POST /api/auth/login"));
        components.addResponses("Problem", problem("A problem (RFC 9457)"));
        return new OpenAPI()
                .info(new Info().title("AIMP Gateway API").version(version)
                        .description("""
                                Execute published models through one pipeline (authentication, limits, billing, \
                                routing, logging), upload media for their inputs, browse the marketplace and read \
                                usage. Every failure answers RFC 9457 problem JSON (application/problem+json) with \
                                code, category, request_id and, for field problems, errors[] with JSON paths. \
                                Authenticate with the X-API-Key header or a bearer access token.""")
                        .license(new License().name("Apache-2.0")))
                .servers(List.of(new Server().url(publicUrl.replaceAll("/+$", "")).description("this gateway")))
                .components(components);
    }

    /**
     * Schemas springdoc derives from records (marketplace models, upload tickets) in the names the wire uses:
     * the JSON mapper writes snake_case, so the schema resolver must too.
     */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenApiCustomizer gatewayContract() {
        return OpenApiContract::customize;
    }

    static void customize(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        // the servlet container's error page is no route of the API
        api.getPaths().remove("/error");
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        if (api.getComponents().getSchemas() != null) {
            // springdoc renders Jackson's tree model as its getters; on the wire it is any JSON value
            api.getComponents().getSchemas().replaceAll((name, schema) -> name.startsWith("JsonNode")
                    ? new Schema<>().description("any JSON value") : schema);
        }
        if (api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(OpenApiContract::openMaps);
        }
        // registered here, not with the document's bean: springdoc drops schemas nothing refers to yet
        ApiSchemas.register(api.getComponents());
        api.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, op) -> customize(path, method, op)));
    }

    private static void customize(String path, PathItem.HttpMethod method, Operation op) {
        op.setOperationId(operationId(method, path));
        boolean open = PublicRoutes.isPublic(method.name(), path.replaceAll("\\{[^}]+}", "x"));
        if (open) {
            op.setSecurity(List.of());
        } else {
            op.setSecurity(List.of(new SecurityRequirement().addList(API_KEY), new SecurityRequirement().addList(BEARER)));
        }
        ApiSchemas.Typed typed = ApiSchemas.of(method.name(), path);
        if (op.getRequestBody() != null) {
            RequestBody body = op.getRequestBody();
            Schema<?> schema = typed != null && typed.request() != null ? ApiSchemas.ref(typed.request()) : jsonObjectOr(body);
            MediaType media = new MediaType().schema(schema);
            if (typed != null && typed.requestExamples() != null) {
                typed.requestExamples().forEach(media::addExamples);
            }
            body.setContent(new Content().addMediaType(JSON, media));
        }
        if (upload(method, path)) {
            op.setRequestBody(new RequestBody().required(true).description("the file's bytes, at most the ticket's max_bytes;"
                            + " the content is sniffed, whatever Content-Type says")
                    .content(new Content().addMediaType("*/*", new MediaType().schema(new StringSchema().format("binary")))));
        } else if (op.getRequestBody() == null && method == PathItem.HttpMethod.POST) {
            // actions (cancel, resume, logout) take no body; one sent anyway is ignored
            op.setRequestBody(new RequestBody().required(false).description("none needed; a JSON body is ignored")
                    .content(new Content().addMediaType(JSON, new MediaType().schema(new ObjectSchema()))));
        }
        if (op.getParameters() != null) {
            op.getParameters().stream()
                    .filter(p -> p.getSchema() != null && "date-time".equals(p.getSchema().getFormat()))
                    .forEach(p -> {
                        // InstantParameter reads an instant or a date (that day's start, UTC)
                        p.getSchema().setFormat(null);
                        p.description("an instant (2026-12-01T00:00:00Z) or a date (2026-12-01, its start in UTC)");
                    });
        }
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        ApiResponse empty = responses.get("200");
        if (empty != null && empty.getContent() == null && path.startsWith("/api/") && !binary(path)) {
            // ResponseEntity<Void> answers noContent() here: springdoc cannot see the status
            responses.remove("200");
            responses.addApiResponse("204", new ApiResponse().description("No content"));
        }
        if (responses.get("204") != null) {
            responses.get("204").setContent(null);
        }
        // springdoc says */* for the maps and records controllers answer; they are JSON
        responses.forEach((status, response) -> {
            if (response.getContent() != null && response.getContent().containsKey("*/*")) {
                MediaType any = response.getContent().remove("*/*");
                if (any.getSchema() != null) {
                    openMaps(any.getSchema());
                }
                response.getContent().addMediaType(JSON, any);
            }
        });
        if (binary(path)) {
            responses.get("200").description("the media's bytes, with its content type")
                    .content(new Content().addMediaType("*/*", new MediaType().schema(new StringSchema().format("binary"))));
        }
        if (typed != null) {
            if (typed.responses().containsKey("201") && !typed.responses().containsKey("200")) {
                // springdoc reads ResponseEntity.created(...) as a 200
                responses.remove("200");
            }
            typed.responses().forEach((status, schemaName) -> {
                ApiResponse r = responses.get(status);
                if (r == null) {
                    r = new ApiResponse().description(ApiSchemas.describe(status));
                    responses.addApiResponse(status, r);
                }
                r.setContent(new Content().addMediaType(JSON, new MediaType().schema(ApiSchemas.ref(schemaName))));
                if ("202".equals(status)) {
                    r.addHeaderObject("Location", new Header().description("where to poll the run").schema(new StringSchema()));
                }
            });
        }
        // failures are problem JSON, whatever springdoc guessed from the exception handlers
        responses.replaceAll((status, r) -> status.startsWith("4") || status.startsWith("5")
                ? problem(r.getDescription() != null ? r.getDescription() : ApiSchemas.describe(status)) : r);
        PROBLEMS.forEach((status, why) -> responses.putIfAbsent(status, problem(why)));
        if (!open) {
            PRINCIPAL_PROBLEMS.forEach((status, why) -> responses.putIfAbsent(status, problem(why)));
        }
        if (path.equals("/mcp")) {
            mcpTransport(method, op, responses);
        }
        responses.get("429").addHeaderObject("Retry-After", new Header().description("seconds to wait").schema(new StringSchema()));
        // any other status a route gives (402, 409, 422, 502, 503, 504, ...) is a problem too
        responses.setDefault(new ApiResponse().$ref("#/components/responses/Problem"));
        op.setResponses(responses);
    }

    /**
     * The MCP endpoint (Streamable HTTP), the one exception to "every refusal is problem JSON": when the
     * transport refuses a posted message it answers what MCP clients read, a JSON-RPC error object
     * (application/json, id null): 400 (not JSON-RPC, no or a wrong session header, a batch the negotiated
     * revision does not have), 403 (a foreign Origin), 404 (the session ended or expired) and 406 (Accept
     * without application/json). What the HTTP edge answers before the transport sees the message (401, 413,
     * 415, 429, 500), DELETE's refusals and GET's 405 are problem JSON as everywhere. MCP clients
     * authenticate with an API key only: an access token is refused (401).
     */
    private static void mcpTransport(PathItem.HttpMethod method, Operation op, ApiResponses responses) {
        op.setSecurity(List.of(new SecurityRequirement().addList(API_KEY)));
        responses.put("401", problem("No valid API key (MCP takes the X-API-Key header; an access token is refused)"));
        if (method == PathItem.HttpMethod.POST) {
            responses.addApiResponse("202", new ApiResponse().description("only notifications or responses were posted: no body"));
            MCP_TRANSPORT_ERRORS.forEach((status, why) -> responses.put(status, new ApiResponse().description(why)
                    .content(new Content().addMediaType(JSON, new MediaType().schema(ApiSchemas.ref("JsonRpcError"))))));
        } else if (method == PathItem.HttpMethod.DELETE) {
            responses.remove("200");
            responses.addApiResponse("204", new ApiResponse().description("The session ended"));
        } else if (method == PathItem.HttpMethod.GET) {
            // no server-initiated stream: GET never answers 200
            responses.remove("200");
            ApiResponse notOffered = problem("No server-initiated event stream: every answer comes with its POST");
            notOffered.addHeaderObject("Allow", new Header().description("POST, DELETE").schema(new StringSchema()));
            responses.put("405", notOffered);
        }
    }

    /** The statuses of {@code POST /mcp} whose answer is a JSON-RPC error object, not problem JSON. */
    static final Map<String, String> MCP_TRANSPORT_ERRORS = Map.of(
            "400", "Transport error (JSON-RPC error, id null): the body is not JSON (-32700) or not a JSON-RPC 2.0 message, "
                    + "the Mcp-Session-Id header is missing, MCP-Protocol-Version is not the negotiated one, or a batch was "
                    + "sent on a protocol revision without batches (-32600)",
            "403", "Transport error (JSON-RPC error, id null): this Origin may not call the MCP server",
            "404", "Transport error (JSON-RPC error, id null): the session ended or expired; initialize again",
            "406", "Transport error (JSON-RPC error, id null): the Accept header does not allow application/json");

    /**
     * A name from the method and the path alone ({@code POST /api/runs/{id}/cancel} → {@code postRunsByIdCancel}),
     * so a generated client's method names do not change when another controller adds a method of the same name
     * (springdoc numbers those: {@code list_1}, {@code list_2}, ...).
     */
    static String operationId(PathItem.HttpMethod method, String path) {
        StringBuilder id = new StringBuilder(method.name().toLowerCase(java.util.Locale.ROOT));
        for (String segment : path.replaceFirst("^/api/", "/").split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            boolean param = segment.startsWith("{");
            if (param) {
                id.append("By");
            }
            for (String word : segment.replaceAll("[{}]", "").split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.toString();
    }

    private static boolean upload(PathItem.HttpMethod method, String path) {
        return method == PathItem.HttpMethod.PUT && path.equals("/api/media/upload/{token}");
    }

    /**
     * Springdoc describes {@code Map<String, Object>} as an object of objects and record components as
     * never null; on the wire a map's values are any JSON value and an absent record value is null.
     */
    private static void openMaps(Schema<?> schema) {
        if (schema.getAdditionalProperties() instanceof Schema<?> values && values.get$ref() == null
                && "object".equals(values.getType()) && values.getProperties() == null) {
            schema.setAdditionalProperties(Boolean.TRUE);
        }
        if (schema.getProperties() != null) {
            List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
            schema.getProperties().forEach((name, p) -> {
                if (p.get$ref() == null && !required.contains(name)) {
                    p.setNullable(true);
                }
                openMaps(p);
            });
        }
    }

    private static boolean binary(String path) {
        return path.equals("/api/media/{mediaRef}/content");
    }

    private static Schema<?> jsonObjectOr(RequestBody body) {
        Schema<?> current = body.getContent() == null ? null
                : body.getContent().values().stream().map(MediaType::getSchema).filter(s -> s != null).findFirst().orElse(null);
        if (current == null || (current.get$ref() != null && current.get$ref().contains("JsonNode"))) {
            return new ObjectSchema();
        }
        return current;
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content()
                .addMediaType(PROBLEM_JSON, new MediaType().schema(ApiSchemas.ref("Problem"))));
    }
}
