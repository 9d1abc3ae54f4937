package io.aimp.gateway.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.aimp.gateway.common.FieldError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One operation on a model's contract.
 *
 * @param inputSchema  JSON Schema 2020-12 for {@code input}
 * @param paramsSchema JSON Schema for {@code params}; when a catalog file gives none it is
 *                     {@link JsonSchemas#DEFAULT_PARAMS}: an object with no properties
 * @param outputSchema a description of the output shape, or {@code null}
 * @param vector       whether the mode reads or writes a vector index, so {@code scope} is required
 * @param schemas      the schemas compiled once at load; not part of the wire contract
 */
public record Mode(String name, JsonNode inputSchema, JsonNode paramsSchema, JsonNode outputSchema,
                   boolean vector, String description, @JsonIgnore CompiledSchemas schemas) {

    /** Every violation of the input schema, paths starting with {@code $.input}; empty when valid. */
    public List<FieldError> validateInput(JsonNode input) {
        return JsonSchemas.violations(schemas.input(), input, "$.input");
    }

    /** Every violation of the params schema, paths starting with {@code $.params}; empty when valid. */
    public List<FieldError> validateParams(JsonNode params) {
        return JsonSchemas.violations(schemas.params(), params, "$.params");
    }

    /**
     * Every violation of the declared output schema, paths starting with {@code $.output}; empty when
     * valid or when the mode declares no output schema.
     */
    public List<FieldError> validateOutput(JsonNode output) {
        return schemas.output == null ? List.of() : JsonSchemas.violations(schemas.output, output, "$.output");
    }

    /** The compiled input, params and output schemas of a mode. Opaque outside the catalog. */
    public static final class CompiledSchemas {
        private final com.networknt.schema.Schema input;
        private final com.networknt.schema.Schema params;

        private final com.networknt.schema.Schema output;

        CompiledSchemas(com.networknt.schema.Schema input, com.networknt.schema.Schema params) {
            this(input, params, null);
        }

        CompiledSchemas(com.networknt.schema.Schema input, com.networknt.schema.Schema params,
                        com.networknt.schema.Schema output) {
            this.output = output;
            this.input = input;
            this.params = params;
        }

        com.networknt.schema.Schema input() {
            return input;
        }

        com.networknt.schema.Schema params() {
            return params;
        }
    }
}
