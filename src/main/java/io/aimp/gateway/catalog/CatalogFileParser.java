package io.aimp.gateway.catalog;

import com.samskivert.mustache.Mustache;
import io.aimp.gateway.common.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one catalog file (DESIGN §3a) into a {@link PublishedModel}, collecting every problem it finds
 * instead of stopping at the first. Cross-file rules (duplicate slugs and ids) belong to {@link CatalogLoader}.
 */
final class CatalogFileParser {

    static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    static final Pattern MODEL_ID = Pattern.compile("^mdl_[A-Za-z0-9]{4,40}$");
    static final Pattern MODE_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
    static final Pattern VERSION = Pattern.compile("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$");
    static final Pattern SCOPE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final Set<String> ASSISTANT_TOOLS = Set.of("knowledge_search", "run_model", "http_get", "run_code");
    static final Pattern HARDWARE_TIER = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");
    static final long MAX_TIMEOUT_MS = 600_000;
    static final Pattern COLLECTION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final int MAX_DIMENSIONS = 8192;
    static final Set<String> EMBEDDING_MODES = fields("embed", "index", "search", "delete");
    static final Set<String> EMBEDDING_INPUTS = fields("text", "image");
    private static final Set<String> EMBEDDING_FIELDS = fields("collection", "input", "dimensions");

    private static final Set<String> TOP_LEVEL = fields("id", "slug", "name", "description", "kind", "visibility",
            "workspaces", "modes", "releases", "current");
    private static final Set<String> MODE_FIELDS = fields("input", "params", "output", "vector", "description");
    private static final Set<String> RELEASE_FIELDS = fields("version", "hardware_tier", "routes", "pricing", "limits", "deprecated");
    private static final Set<String> ROUTE_FIELDS = fields("provider", "model", "timeout_ms");
    private static final Set<String> PRICING_FIELDS = fields("per_run", "per_1k_input_tokens", "per_1k_output_tokens",
            "per_image", "per_item");
    private static final Set<String> LIMIT_FIELDS = fields("requests_per_minute", "tokens_per_minute", "max_tokens",
            "max_concurrent");

    // Floats as BigDecimal so prices keep their exact decimals; duplicate keys are an error, not a silent override.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Set<String> providerNames;
    private final Map<Kind, KindSettingsCheck> checks = new java.util.EnumMap<>(Kind.class);

    CatalogFileParser(Set<String> providerNames) {
        this(providerNames, List.of());
    }

    CatalogFileParser(Set<String> providerNames, List<KindSettingsCheck> checks) {
        this.providerNames = Set.copyOf(providerNames);
        for (KindSettingsCheck c : checks) {
            this.checks.put(c.kind(), c);
        }
    }

    /** The id of a model whose file gives none: the same on every node, because it depends only on the slug. */
    static String derivedId(String slug) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(slug.getBytes(StandardCharsets.UTF_8));
            return "mdl_" + HexFormat.of().formatHex(hash).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param source   the file's name in messages
     * @param problems receives one line per problem, each starting with {@code source}
     * @return the model, or {@code null} when the file has problems
     */
    PublishedModel parse(String source, String yaml, List<String> problems) {
        File file = new File(source, problems);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            file.fileProblem("is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"));
            return null;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            file.fileProblem("is empty");
            return null;
        }
        if (!root.isObject()) {
            file.fileProblem("must be a YAML mapping of model fields (slug, kind, modes, releases ...)");
            return null;
        }
        int before = problems.size();
        PublishedModel model = file.model(root);
        return problems.size() == before ? model : null;
    }

    private static Set<String> fields(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    /** The state of reading one file: where problems go. */
    private final class File {
        private final String source;
        private final List<String> problems;

        File(String source, List<String> problems) {
            this.source = source;
            this.problems = problems;
        }

        void fileProblem(String message) {
            problems.add(source + ": " + message);
        }

        void problem(String path, String message) {
            problems.add(source + ": " + path + " " + message);
        }

        PublishedModel model(JsonNode root) {
            Set<String> allowed = new LinkedHashSet<>(TOP_LEVEL);
            for (Kind k : Kind.values()) {
                allowed.add(k.wireName());
            }
            unknownFields(root, "", allowed);

            String slug = string(root, "slug", "", true);
            if (slug != null && !SLUG.matcher(slug).matches()) {
                problem("slug", "'" + slug + "' must match " + SLUG.pattern()
                        + " (lower-case letters, digits and '-', 2 to 63 characters)");
            }
            String id = string(root, "id", "", false);
            if (id != null && !MODEL_ID.matcher(id).matches()) {
                problem("id", "'" + id + "' must match " + MODEL_ID.pattern() + " (or leave it out to derive it from the slug)");
            }
            if (id == null && slug != null) {
                id = derivedId(slug);
            }
            String name = string(root, "name", "", false);
            String description = string(root, "description", "", false);

            Kind kind = null;
            String kindName = string(root, "kind", "", true);
            if (kindName != null) {
                kind = Kind.fromWireName(kindName).orElse(null);
                if (kind == null) {
                    problem("kind", "'" + kindName + "' is not a kind; use one of " + Kind.wireNames());
                }
            }
            Visibility visibility = null;
            String visibilityName = string(root, "visibility", "", true);
            if (visibilityName != null) {
                visibility = Visibility.fromWireName(visibilityName).orElse(null);
                if (visibility == null) {
                    problem("visibility", "'" + visibilityName + "' is not a visibility; use public or private");
                }
            }
            Set<String> workspaces = workspaces(root, visibility);
            Map<String, Mode> modes = modes(root.get("modes"));
            List<Release> releases = releases(root.get("releases"));
            Release current = current(root, releases);
            JsonNode kindConfig = kindConfig(root, kind, modes, slug);

            if (slug == null || kind == null || visibility == null || current == null) {
                return null; // already reported
            }
            return new PublishedModel(id, slug, name == null ? slug : name, description == null ? "" : description,
                    kind, visibility, workspaces, modes, releases, current, kindConfig, source);
        }

        private Set<String> workspaces(JsonNode root, Visibility visibility) {
            JsonNode node = root.get("workspaces");
            Set<String> workspaces = new LinkedHashSet<>();
            if (node != null && !node.isNull()) {
                if (!node.isArray()) {
                    problem("workspaces", "must be a list of workspace ids");
                } else {
                    for (int i = 0; i < node.size(); i++) {
                        JsonNode w = node.get(i);
                        if (!w.isString() || w.stringValue().isBlank()) {
                            problem("workspaces[" + i + "]", "must be a workspace id");
                        } else {
                            workspaces.add(w.stringValue());
                        }
                    }
                }
            }
            if (visibility == Visibility.PRIVATE && workspaces.isEmpty()) {
                problem("workspaces", "is required for a private model: list the workspace ids that may see it");
            }
            if (visibility == Visibility.PUBLIC && !workspaces.isEmpty()) {
                problem("workspaces", "is only for private models: a public model is visible to every workspace");
            }
            return workspaces;
        }

        private Map<String, Mode> modes(JsonNode node) {
            Map<String, Mode> modes = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                problem("modes", "is required: declare at least one mode (e.g. execute) with an input schema");
                return modes;
            }
            if (!node.isObject() || node.isEmpty()) {
                problem("modes", "must map at least one mode name to its contract (input, params, output)");
                return modes;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String name = e.getKey();
                String path = "modes." + name;
                if (!MODE_NAME.matcher(name).matches()) {
                    problem(path, "is not a valid mode name: it must match " + MODE_NAME.pattern());
                    continue;
                }
                Mode mode = mode(name, path, e.getValue());
                if (mode != null) {
                    modes.put(name, mode);
                }
            }
            return modes;
        }

        private Mode mode(String name, String path, JsonNode node) {
            if (!node.isObject()) {
                problem(path, "must be a mapping with input, params, output, vector, description");
                return null;
            }
            unknownFields(node, path, MODE_FIELDS);
            JsonNode input = node.get("input");
            boolean ok = true;
            if (input == null || input.isNull()) {
                problem(path + ".input", "is required: a JSON Schema for the mode's input object");
                ok = false;
            } else {
                ok &= objectSchema(path + ".input", input);
            }
            JsonNode params = node.get("params");
            if (params == null || params.isNull()) {
                params = JsonSchemas.DEFAULT_PARAMS;
            } else {
                ok &= objectSchema(path + ".params", params);
            }
            JsonNode output = node.get("output");
            if (output != null && !output.isNull()) {
                ok &= schema(path + ".output", output);
            } else {
                output = null;
            }
            boolean vector = false;
            JsonNode v = node.get("vector");
            if (v != null && !v.isNull()) {
                if (v.isBoolean()) {
                    vector = v.booleanValue();
                } else {
                    problem(path + ".vector", "must be true or false");
                }
            }
            String description = string(node, "description", path + ".", false);
            if (!ok) {
                return null;
            }
            return new Mode(name, input, params, output, vector, description == null ? "" : description,
                    new Mode.CompiledSchemas(JsonSchemas.compile(input), JsonSchemas.compile(params),
                            output == null ? null : JsonSchemas.compile(output)));
        }

        /** Input and params are always JSON objects on the wire, so their schemas must say so. */
        private boolean objectSchema(String path, JsonNode schema) {
            if (!schema(path, schema)) {
                return false;
            }
            JsonNode type = schema.get("type");
            if (type == null || !type.isString() || !"object".equals(type.stringValue())) {
                problem(path, "must be a schema with type: object (this value is always a JSON object)");
                return false;
            }
            return true;
        }

        private boolean schema(String path, JsonNode schema) {
            if (!schema.isObject()) {
                problem(path, "must be a JSON Schema (a mapping)");
                return false;
            }
            List<String> found = JsonSchemas.problems(schema);
            for (String p : found) {
                problem(path, "is not a valid JSON Schema 2020-12: " + p);
            }
            return found.isEmpty();
        }

        private List<Release> releases(JsonNode node) {
            List<Release> releases = new ArrayList<>();
            if (node == null || node.isNull()) {
                problem("releases", "is required: list at least one release with version, routes and pricing");
                return releases;
            }
            if (!node.isArray() || node.isEmpty()) {
                problem("releases", "must be a list of at least one release");
                return releases;
            }
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int i = 0; i < node.size(); i++) {
                String path = "releases[" + i + "]";
                Release r = release(path, node.get(i));
                if (r == null) {
                    continue;
                }
                Integer first = seen.putIfAbsent(r.version(), i);
                if (first != null) {
                    problem(path + ".version", "'" + r.version() + "' is already used by releases[" + first
                            + "]: releases are immutable, publish a new version");
                    continue;
                }
                releases.add(r);
            }
            return releases;
        }

        private Release release(String path, JsonNode node) {
            if (!node.isObject()) {
                problem(path, "must be a mapping with version, hardware_tier, routes, pricing, limits, deprecated");
                return null;
            }
            unknownFields(node, path, RELEASE_FIELDS);
            int before = problems.size();
            String version = null;
            JsonNode v = node.get("version");
            if (v == null || v.isNull()) {
                problem(path + ".version", "is required (e.g. 1.0.0)");
            } else if (!v.isString() || !VERSION.matcher(v.stringValue()).matches()) {
                problem(path + ".version", "'" + v.asString() + "' must look like 1.2.3 (major.minor.patch, optional -suffix)"
                        + (v.isNumber() ? "; YAML read it as a number" : ""));
            } else {
                version = v.stringValue();
            }
            String tier = string(node, "hardware_tier", path + ".", false);
            if (tier != null && !HARDWARE_TIER.matcher(tier).matches()) {
                problem(path + ".hardware_tier", "'" + tier + "' must match " + HARDWARE_TIER.pattern());
            }
            List<RouteSpec> routes = routes(path + ".routes", node.get("routes"));
            Pricing pricing = pricing(path + ".pricing", node.get("pricing"));
            ReleaseLimits limits = limits(path + ".limits", node.get("limits"));
            String deprecated = string(node, "deprecated", path + ".", false);
            if (deprecated != null && deprecated.isBlank()) {
                problem(path + ".deprecated", "must be a notice that tells callers what to use instead");
            }
            if (problems.size() != before) {
                return null;
            }
            return new Release(version, tier == null ? "cpu" : tier, routes, pricing, limits, deprecated);
        }

        private List<RouteSpec> routes(String path, JsonNode node) {
            List<RouteSpec> routes = new ArrayList<>();
            if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
                problem(path, "must list at least one route ({provider, model, timeout_ms}); routes are tried in order");
                return routes;
            }
            if (!node.isArray()) {
                problem(path, "must be a list of routes");
                return routes;
            }
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode r = node.get(i);
                if (!r.isObject()) {
                    problem(at, "must be a mapping with provider, model, timeout_ms");
                    continue;
                }
                unknownFields(r, at, ROUTE_FIELDS);
                String provider = string(r, "provider", at + ".", true);
                if (provider != null && !providerNames.contains(provider)) {
                    problem(at + ".provider", "'" + provider + "' is not configured (configure aimp.providers."
                            + provider + "; configured: " + String.join(", ", new TreeSet<>(providerNames)) + ")");
                }
                String model = string(r, "model", at + ".", true);
                Duration timeout = RouteSpec.DEFAULT_TIMEOUT;
                JsonNode t = r.get("timeout_ms");
                if (t != null && !t.isNull()) {
                    if (!t.isIntegralNumber() || !t.canConvertToLong() || t.longValue() < 1 || t.longValue() > MAX_TIMEOUT_MS) {
                        problem(at + ".timeout_ms", "'" + t.asString() + "' must be a whole number of milliseconds from 1 to "
                                + MAX_TIMEOUT_MS);
                    } else {
                        timeout = Duration.ofMillis(t.longValue());
                    }
                }
                routes.add(new RouteSpec(provider, model, timeout));
            }
            return routes;
        }

        private Pricing pricing(String path, JsonNode node) {
            if (node == null || node.isNull()) {
                return Pricing.FREE;
            }
            if (!node.isObject()) {
                problem(path, "must be a mapping of " + String.join(", ", PRICING_FIELDS) + " to credits");
                return Pricing.FREE;
            }
            unknownFields(node, path, PRICING_FIELDS);
            return new Pricing(credits(node, "per_run", path), credits(node, "per_1k_input_tokens", path),
                    credits(node, "per_1k_output_tokens", path), credits(node, "per_image", path),
                    credits(node, "per_item", path));
        }

        private long credits(JsonNode pricing, String field, String path) {
            JsonNode n = pricing.get(field);
            if (n == null || n.isNull()) {
                return 0;
            }
            String at = path + "." + field;
            BigDecimal amount;
            try {
                amount = n.isNumber() ? n.decimalValue() : n.isString() ? new BigDecimal(n.stringValue().trim()) : null;
            } catch (NumberFormatException e) {
                amount = null;
            }
            if (amount == null) {
                problem(at, "'" + n.asString() + "' must be an amount of credits such as 0.001");
                return 0;
            }
            if (amount.signum() < 0) {
                problem(at, "'" + amount.toPlainString() + "' must not be negative");
                return 0;
            }
            try {
                return Money.fromCredits(amount);
            } catch (ArithmeticException | IllegalArgumentException e) {
                problem(at, "'" + amount.toPlainString() + "' has more than 6 decimals (credits are counted in millionths)");
                return 0;
            }
        }

        private ReleaseLimits limits(String path, JsonNode node) {
            if (node == null || node.isNull()) {
                return ReleaseLimits.NONE;
            }
            if (!node.isObject()) {
                problem(path, "must be a mapping of " + String.join(", ", LIMIT_FIELDS));
                return ReleaseLimits.NONE;
            }
            unknownFields(node, path, LIMIT_FIELDS);
            return new ReleaseLimits(positive(node, "requests_per_minute", path), positive(node, "tokens_per_minute", path),
                    positive(node, "max_tokens", path), positive(node, "max_concurrent", path));
        }

        private Integer positive(JsonNode node, String field, String path) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
                problem(path + "." + field, "'" + n.asString() + "' must be a whole number of at least 1");
                return null;
            }
            return n.intValue();
        }

        private Release current(JsonNode root, List<Release> releases) {
            String version = string(root, "current", "", false);
            if (version == null) {
                return releases.isEmpty() ? null : releases.getFirst();
            }
            for (Release r : releases) {
                if (r.version().equals(version)) {
                    return r;
                }
            }
            if (!releases.isEmpty() || root.path("releases").isArray()) {
                problem("current", "names version '" + version + "', which is not among releases"
                        + (releases.isEmpty() ? "" : " (" + String.join(", ", releases.stream().map(Release::version).toList()) + ")"));
            }
            return null;
        }

        private JsonNode kindConfig(JsonNode root, Kind kind, Map<String, Mode> modes, String slug) {
            for (Kind other : Kind.values()) {
                if (other != kind && root.has(other.wireName())) {
                    problem(other.wireName(), "block does not belong to a " + (kind == null ? "model of this kind" : kind.wireName() + " model")
                            + (kind == null ? "" : ": the kind block must be named '" + kind.wireName() + "'"));
                }
            }
            if (kind == null) {
                return null;
            }
            JsonNode block = root.get(kind.wireName());
            if (block != null && !block.isNull() && !block.isObject()) {
                problem(kind.wireName(), "must be a mapping of " + kind.wireName() + " settings");
                return null;
            }
            if (block != null && block.isNull()) {
                block = null;
            }
            if (kind == Kind.TEXT) {
                textBlock(block);
            } else if (kind == Kind.EMBEDDING) {
                embeddingBlock(block, root.get("modes"));
            } else if (kind == Kind.CHAT && block != null) {
                chatBlock(block);
            } else if (kind == Kind.ASSISTANT && block != null) {
                assistantBlock(block);
            }
            KindSettingsCheck check = checks.get(kind);
            if (check != null) {
                check.check(block, modes == null ? Map.of() : modes, slug, this::problem);
            }
            return block;
        }

        /**
         * {@code embedding: {collection, input, dimensions}}. The collection is part of the model, never
         * of a request; modes are the operations the embedding executor knows, and the ones that touch
         * the index must be vector-enabled so every call names its scope.
         */
        private void embeddingBlock(JsonNode block, JsonNode modes) {
            if (block == null) {
                problem("embedding", "is required for an embedding model: give at least collection (e.g. docs)");
                return;
            }
            unknownFields(block, "embedding", EMBEDDING_FIELDS);
            String collection = string(block, "collection", "embedding.", true);
            if (collection != null && !COLLECTION.matcher(collection).matches()) {
                problem("embedding.collection", "'" + collection + "' must match " + COLLECTION.pattern());
            }
            String input = string(block, "input", "embedding.", false);
            if (input != null && !EMBEDDING_INPUTS.contains(input)) {
                problem("embedding.input", "'" + input + "' must be one of " + String.join(", ", EMBEDDING_INPUTS));
            }
            JsonNode d = block.get("dimensions");
            if (d != null && !d.isNull() && (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 1
                    || d.intValue() > MAX_DIMENSIONS)) {
                problem("embedding.dimensions", "'" + d.asString() + "' must be a whole number from 1 to " + MAX_DIMENSIONS);
            }
            if (modes == null || !modes.isObject()) {
                return;
            }
            for (Map.Entry<String, JsonNode> e : modes.properties()) {
                String mode = e.getKey();
                if (!EMBEDDING_MODES.contains(mode)) {
                    problem("modes." + mode, "is not an embedding operation; an embedding model's modes are "
                            + String.join(", ", EMBEDDING_MODES));
                } else if (!"embed".equals(mode) && !e.getValue().path("vector").asBoolean(false)) {
                    problem("modes." + mode + ".vector", "must be true: " + mode + " reads or writes the vector index, "
                            + "so callers must send scope");
                }
            }
        }

        private void textBlock(JsonNode block) {
            if (block == null) {
                problem("text", "is required for a text model: give at least prompt (a Mustache template such as \"{{input.text}}\")");
                return;
            }
            if (string(block, "prompt", "text.", true) != null) {
                template("text.prompt", block.get("prompt").stringValue());
            }
            if (string(block, "system", "text.", false) != null) {
                template("text.system", block.get("system").stringValue());
            }
        }

        private void chatBlock(JsonNode block) {
            unknownFields(block, "chat", fields("persona", "memory", "retrieval", "answer", "retention"));
            if (string(block, "persona", "chat.", false) != null) {
                template("chat.persona", block.get("persona").stringValue());
            }
            JsonNode memory = block.get("memory");
            if (memory != null && !memory.isObject()) {
                problem("chat.memory", "must be a mapping with turns and/or max_tokens");
            } else if (memory != null) {
                unknownFields(memory, "chat.memory", fields("turns", "max_tokens"));
                JsonNode turns = memory.get("turns");
                if (turns != null && (!turns.isIntegralNumber() || turns.asInt() < 0 || turns.asInt() > 100)) {
                    problem("chat.memory.turns", "must be a whole number from 0 to 100");
                }
                positive(memory, "max_tokens", "chat.memory");
            }
            String answer = string(block, "answer", "chat.", false);
            if (answer != null && !answer.equals("generate") && !answer.equals("passages")) {
                problem("chat.answer", "must be generate (the provider answers) or passages (the reply is the retrieved passages)");
            }
            JsonNode retrieval = block.get("retrieval");
            if (retrieval != null) {
                knowledgeBase(retrieval, "chat.retrieval");
            } else if ("passages".equals(answer)) {
                problem("chat.answer", "passages needs chat.retrieval");
            }
            JsonNode retention = block.get("retention");
            if (retention != null && !retention.isObject()) {
                problem("chat.retention", "must be a mapping with days");
            } else if (retention != null) {
                unknownFields(retention, "chat.retention", fields("days"));
                positive(retention, "days", "chat.retention");
            }
        }

        private void assistantBlock(JsonNode block) {
            unknownFields(block, "assistant", fields("instructions", "tools", "max_steps", "max_tool_calls_per_step"));
            if (string(block, "instructions", "assistant.", false) != null) {
                template("assistant.instructions", block.get("instructions").stringValue());
            }
            JsonNode steps = block.get("max_steps");
            if (steps != null && (!steps.isIntegralNumber() || steps.asInt() < 1 || steps.asInt() > 50)) {
                problem("assistant.max_steps", "must be a whole number from 1 to 50");
            }
            JsonNode perStep = block.get("max_tool_calls_per_step");
            if (perStep != null && (!perStep.isIntegralNumber() || perStep.asInt() < 1 || perStep.asInt() > 32)) {
                problem("assistant.max_tool_calls_per_step", "must be a whole number from 1 to 32");
            }
            JsonNode tools = block.get("tools");
            if (tools == null || tools.isNull()) {
                return;
            }
            if (!tools.isObject()) {
                problem("assistant.tools", "must be a mapping of tool name to its settings ({} for none); tools: "
                        + String.join(", ", new java.util.TreeSet<>(ASSISTANT_TOOLS)));
                return;
            }
            for (String name : tools.propertyNames()) {
                JsonNode t = tools.get(name);
                String path = "assistant.tools." + name;
                if (!ASSISTANT_TOOLS.contains(name)) {
                    problem(path, "is not a built-in tool (" + String.join(", ", new java.util.TreeSet<>(ASSISTANT_TOOLS)) + ")");
                } else if (t != null && !t.isNull() && !t.isObject()) {
                    problem(path, "must be a mapping of the tool's settings");
                } else if (name.equals("knowledge_search")) {
                    if (t == null || t.isNull()) {
                        problem(path, "needs model and scope");
                    } else {
                        knowledgeBase(t, path);
                    }
                } else if (name.equals("run_model") && t != null && !t.isNull()) {
                    unknownFields(t, path, fields("models"));
                    JsonNode models = t.get("models");
                    if (models == null || !models.isArray() || models.isEmpty()) {
                        problem(path + ".models", "must list the slugs of the models the assistant may run");
                    }
                } else if (name.equals("run_model")) {
                    problem(path + ".models", "must list the slugs of the models the assistant may run");
                } else if (t != null && !t.isNull()) {
                    unknownFields(t, path, name.equals("run_code") ? fields("timeout_ms") : fields());
                    if (name.equals("run_code")) {
                        positive(t, "timeout_ms", path);
                    }
                }
            }
        }

        private void knowledgeBase(JsonNode node, String path) {
            if (!node.isObject()) {
                problem(path, "must be a mapping with model, scope, top_k and min_score");
                return;
            }
            unknownFields(node, path, fields("model", "collection", "scope", "top_k", "min_score"));
            string(node, "model", path + ".", true);
            string(node, "collection", path + ".", false);
            String scope = string(node, "scope", path + ".", true);
            if (scope != null && !SCOPE.matcher(scope).matches()) {
                problem(path + ".scope", "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
            }
            JsonNode topK = node.get("top_k");
            if (topK != null && (!topK.isIntegralNumber() || topK.asInt() < 1 || topK.asInt() > 50)) {
                problem(path + ".top_k", "must be a whole number from 1 to 50");
            }
            JsonNode min = node.get("min_score");
            if (min != null && (!min.isNumber() || min.asDouble() < -1 || min.asDouble() > 1)) {
                problem(path + ".min_score", "must be a number from -1 to 1");
            }
        }

        private void template(String path, String template) {
            try {
                Mustache.compiler().compile(template);
            } catch (RuntimeException e) {
                problem(path, "is not a valid Mustache template: " + e.getMessage());
            }
        }

        private String string(JsonNode node, String field, String prefix, boolean required) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    problem(prefix + field, "is required");
                }
                return null;
            }
            if (!n.isString()) {
                problem(prefix + field, "must be a string");
                return null;
            }
            if (required && n.stringValue().isBlank()) {
                problem(prefix + field, "must not be empty");
                return null;
            }
            return n.stringValue();
        }

        private void unknownFields(JsonNode node, String path, Set<String> allowed) {
            for (String name : node.propertyNames()) {
                if (!allowed.contains(name)) {
                    problem(path.isEmpty() ? name : path + "." + name, "is not a known field (known: "
                            + String.join(", ", allowed) + ")");
                }
            }
        }
    }
}
