package io.aimp.gateway.catalog;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import io.aimp.gateway.common.BoundedMatch;
import io.aimp.gateway.common.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compiles contract schemas (JSON Schema 2020-12 unless a schema names another) and reports violations. {@code format}
 * is an assertion, not only an annotation: {@code format: email} refuses {@code "not-an-email"}, and so do
 * {@code uri}, {@code date}, {@code date-time} and the other formats of the specification for their values.
 */
final class JsonSchemas {

    /** Params schema of a mode whose file declares none: only an empty object is valid, so a stray param is named. */
    static final JsonNode DEFAULT_PARAMS = defaultParams();

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_PATH)
                    .locale(Locale.ENGLISH)
                    .formatAssertionsEnabled(true)
                    .build()));

    /**
     * The same, with every {@code pattern} (and {@code patternProperties}) matched by {@link BoundedMatch}: for schemas
     * a caller sends to be checked against text a model wrote, where a pattern that backtracks without end must not
     * hold a thread. A match that gives up throws {@link BoundedMatch.TooComplex} out of the validation.
     */
    private static final SchemaRegistry BOUNDED = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_PATH)
                    .locale(Locale.ENGLISH)
                    .formatAssertionsEnabled(true)
                    .regularExpressionFactory(new BoundedRegularExpressions())
                    .build()));

    // The meta-schema ships inside the validator jar, so this needs no network.
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private JsonSchemas() {
    }

    /**
     * Checks a schema against the 2020-12 meta-schema and compiles it.
     *
     * @return the problems, each a sentence that starts with the offending location inside the schema;
     *         empty when the schema is usable
     */
    static List<String> problems(JsonNode schema) {
        List<String> problems = new ArrayList<>();
        for (com.networknt.schema.Error e : META.validate(schema)) {
            problems.add(location(e) + " " + e.getMessage());
        }
        if (problems.isEmpty()) {
            try {
                compile(schema);
            } catch (RuntimeException e) {
                problems.add("does not compile: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Compiles a schema that {@link #problems} accepted; all validators are built now, not on first use. */
    static Schema compile(JsonNode schema) {
        Schema compiled = REGISTRY.getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }

    /**
     * {@link #violations} of a schema compiled with its patterns matched with a bound on their work (see
     * {@link #BOUNDED}).
     *
     * @throws BoundedMatch.TooComplex when a pattern gave up on a value
     */
    static List<FieldError> boundedViolations(JsonNode schema, JsonNode value, String basePath) {
        Schema compiled = BOUNDED.getSchema(schema);
        compiled.initializeValidators();
        try {
            return violations(compiled, value, basePath);
        } catch (SchemaException e) {
            if (e.getCause() instanceof BoundedMatch.TooComplex tooComplex) {
                throw tooComplex;
            }
            throw e;
        }
    }

    /** The JDK's regular expressions as the validator reads them (its rewrites of {@code $} anchors and long-form character properties), matched bounded. */
    private static final class BoundedRegularExpressions implements RegularExpressionFactory {
        @Override
        public RegularExpression getRegularExpression(String regex) {
            Pattern p = Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(
                    RegularExpressions.replaceDollarAnchors(regex)));
            return value -> {
                try {
                    return BoundedMatch.find(p, value);
                } catch (BoundedMatch.TooComplex e) {
                    // the validator passes a SchemaException on as it is (any other exception it logs as an error)
                    throw new SchemaException(e);
                }
            };
        }
    }

    static List<FieldError> violations(Schema schema, JsonNode value, String basePath) {
        List<FieldError> errors = new ArrayList<>();
        for (com.networknt.schema.Error e : schema.validate(value)) {
            String at = basePath + e.getInstanceLocation().toString().substring(1);
            switch (e.getKeyword()) {
                case "required" -> errors.add(new FieldError(child(at, e.getProperty()), "is required"));
                case "additionalProperties", "unevaluatedProperties" -> errors.add(new FieldError(
                        child(at, e.getProperty()), "is not allowed: the contract does not define this property"));
                default -> errors.add(new FieldError(at, e.getMessage()));
            }
        }
        return errors;
    }

    private static String location(com.networknt.schema.Error e) {
        String at = e.getInstanceLocation().toString();
        return "$".equals(at) ? "the schema" : at.substring(2);
    }

    private static String child(String path, String property) {
        if (property == null) {
            return path;
        }
        return PLAIN_NAME.matcher(property).matches()
                ? path + "." + property
                : path + "['" + property.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static JsonNode defaultParams() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", "object");
        node.put("additionalProperties", false);
        return node;
    }
}
