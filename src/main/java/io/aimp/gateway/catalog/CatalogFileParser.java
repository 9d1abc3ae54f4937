package io.aimp.gateway.catalog;

import static io.aimp.gateway.catalog.SettingsReader.fields;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one catalog file (DESIGN §3a) into a {@link PublishedModel}, collecting every problem it finds
 * instead of stopping at the first. The kind's block is read by that kind's {@link KindSettings}; releases by
 * {@link ReleaseReader}. Cross-file rules (duplicate slugs and ids) belong to {@link CatalogLoader}.
 */
final class CatalogFileParser {

    static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    static final Pattern MODEL_ID = Pattern.compile("^mdl_[A-Za-z0-9]{4,40}$");
    static final Pattern MODE_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

    private static final Set<String> TOP_LEVEL = fields("id", "slug", "name", "description", "kind", "visibility", "tests",
            "workspaces", "modes", "releases", "current");
    private static final Set<String> MODE_FIELDS = fields("input", "params", "output", "vector", "description");

    // Floats as BigDecimal so prices keep their exact decimals; duplicate keys are an error, not a silent override.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Set<String> providerNames;
    private final Map<String, KindSettings<?>> kinds = new TreeMap<>();

    /**
     * @param kinds the kinds this gateway runs; a file of any other kind is refused
     * @throws IllegalArgumentException when two of them read the same kind
     */
    CatalogFileParser(Set<String> providerNames, Collection<? extends KindSettings<?>> kinds) {
        this.providerNames = Set.copyOf(providerNames);
        for (KindSettings<?> k : kinds) {
            if (this.kinds.putIfAbsent(k.kind().wireName(), k) != null) {
                throw new IllegalArgumentException("kind " + k.kind() + " has two settings readers: "
                        + this.kinds.get(k.kind().wireName()).getClass().getName() + " and " + k.getClass().getName());
            }
        }
    }

    /** The kinds this gateway runs, by name. */
    Set<Kind> kinds() {
        Set<Kind> out = new LinkedHashSet<>();
        kinds.values().forEach(k -> out.add(k.kind()));
        return out;
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
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            problems.add(source + ": is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"));
            return null;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add(source + ": is empty");
            return null;
        }
        if (!root.isObject()) {
            problems.add(source + ": must be a YAML mapping of model fields (slug, kind, modes, releases ...)");
            return null;
        }
        SettingsReader in = new SettingsReader((path, reason) -> problems.add(source + ": " + path + " " + reason));
        PublishedModel model = new File(source, in).model(root);
        return in.problems() == 0 ? model : null;
    }

    /** Reading one file: where its problems go. */
    private final class File {
        private final String source;
        private final SettingsReader in;

        File(String source, SettingsReader in) {
            this.source = source;
            this.in = in;
        }

        PublishedModel model(JsonNode root) {
            String slug = in.string(root, "slug", "", true);
            if (slug != null && !SLUG.matcher(slug).matches()) {
                in.problem("slug", "'" + slug + "' must match " + SLUG.pattern()
                        + " (lower-case letters, digits and '-', 2 to 63 characters)");
            }
            String id = in.string(root, "id", "", false);
            if (id != null && !MODEL_ID.matcher(id).matches()) {
                in.problem("id", "'" + id + "' must match " + MODEL_ID.pattern() + " (or leave it out to derive it from the slug)");
            }
            if (id == null && slug != null) {
                id = derivedId(slug);
            }
            String name = in.string(root, "name", "", false);
            String description = in.string(root, "description", "", false);
            KindSettings<?> kind = kind(root);
            Visibility visibility = visibility(root);
            Set<String> workspaces = workspaces(root, visibility);
            Map<String, Mode> modes = modes(root.get("modes"));
            ReleaseReader releases = new ReleaseReader(providerNames, in);
            List<Release> all = releases.releases(root.get("releases"));
            Release current = releases.current(root, all);
            Object settings = kind == null ? null : settings(root, kind, new KindSettings.Model(slug, modes, providerNames));

            if (slug == null || kind == null || visibility == null || current == null || in.problems() > 0) {
                return null; // already reported
            }
            return new PublishedModel(id, slug, name == null ? slug : name, description == null ? "" : description,
                    kind.kind(), visibility, workspaces, modes, all, current, settings, source,
                    root.get(kind.kind().wireName()), tests(root.get("tests")));
        }

        /**
         * The model's evaluation suite: {@code tests: {cases: [{name?, input, params?, expect?}, ...], judge?: {model}}}.
         * Its shape is checked here; its expectations by the playground when it starts.
         */
        private JsonNode tests(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!in.mapping(node, "tests", "with cases (a list of {name, input, params, expect}) and judge")) {
                return null;
            }
            in.unknownFields(node, "tests", fields("cases", "judge"));
            JsonNode cases = node.get("cases");
            if (cases == null || !cases.isArray() || cases.isEmpty()) {
                in.problem("tests.cases", "must be a list of 1 or more cases {name, input, params, expect}");
                return null;
            }
            for (int i = 0; i < cases.size(); i++) {
                if (!cases.get(i).isObject() || !cases.get(i).path("input").isObject()) {
                    in.problem("tests.cases[" + i + "]", "must be a mapping with input (a mapping)");
                }
            }
            return node;
        }

        /** The reader of the file's kind; every top-level field that is neither a model field nor its block is refused. */
        private KindSettings<?> kind(JsonNode root) {
            String kindName = in.string(root, "kind", "", true);
            KindSettings<?> kind = kindName == null ? null : kinds.get(kindName);
            if (kindName != null && kind == null) {
                in.problem("kind", "'" + kindName + "' is not a kind this gateway runs (no executor for it); use one of "
                        + String.join(", ", kinds.keySet()));
            }
            for (String field : root.propertyNames()) {
                if (TOP_LEVEL.contains(field) || field.equals(kindName)) {
                    continue;
                }
                if (kinds.containsKey(field)) {
                    in.problem(field, "block does not belong to a " + (kind == null ? "model of this kind"
                            : kindName + " model: the kind block must be named '" + kindName + "'"));
                } else {
                    Set<String> known = new LinkedHashSet<>(TOP_LEVEL);
                    known.add(kindName == null ? "<kind>" : kindName);
                    in.problem(field, "is not a known field (known: " + String.join(", ", known) + ")");
                }
            }
            return kind;
        }

        private Object settings(JsonNode root, KindSettings<?> kind, KindSettings.Model model) {
            String name = kind.kind().wireName();
            JsonNode block = root.get(name);
            if (block != null && block.isNull()) {
                block = null;
            }
            if (block != null && !in.mapping(block, name, "of " + name + " settings")) {
                return null;
            }
            return kind.read(block, model, in);
        }

        private Visibility visibility(JsonNode root) {
            String visibilityName = in.string(root, "visibility", "", true);
            if (visibilityName == null) {
                return null;
            }
            Visibility visibility = Visibility.fromWireName(visibilityName).orElse(null);
            if (visibility == null) {
                in.problem("visibility", "'" + visibilityName + "' is not a visibility; use public or private");
            }
            return visibility;
        }

        private Set<String> workspaces(JsonNode root, Visibility visibility) {
            JsonNode node = root.get("workspaces");
            Set<String> workspaces = new LinkedHashSet<>();
            if (node != null && !node.isNull()) {
                if (!node.isArray()) {
                    in.problem("workspaces", "must be a list of workspace ids");
                } else {
                    for (int i = 0; i < node.size(); i++) {
                        JsonNode w = node.get(i);
                        if (!w.isString() || w.stringValue().isBlank()) {
                            in.problem("workspaces[" + i + "]", "must be a workspace id");
                        } else {
                            workspaces.add(w.stringValue());
                        }
                    }
                }
            }
            if (visibility == Visibility.PRIVATE && workspaces.isEmpty()) {
                in.problem("workspaces", "is required for a private model: list the workspace ids that may see it");
            }
            if (visibility == Visibility.PUBLIC && !workspaces.isEmpty()) {
                in.problem("workspaces", "is only for private models: a public model is visible to every workspace");
            }
            return workspaces;
        }

        private Map<String, Mode> modes(JsonNode node) {
            Map<String, Mode> modes = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                in.problem("modes", "is required: declare at least one mode (e.g. execute) with an input schema");
                return modes;
            }
            if (!node.isObject() || node.isEmpty()) {
                in.problem("modes", "must map at least one mode name to its contract (input, params, output)");
                return modes;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String name = e.getKey();
                String path = "modes." + name;
                if (!MODE_NAME.matcher(name).matches()) {
                    in.problem(path, "is not a valid mode name: it must match " + MODE_NAME.pattern());
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
            if (!in.mapping(node, path, "with input, params, output, vector, description")) {
                return null;
            }
            in.unknownFields(node, path, MODE_FIELDS);
            int before = in.problems();
            JsonNode input = node.get("input");
            if (input == null || input.isNull()) {
                in.problem(path + ".input", "is required: a JSON Schema for the mode's input object");
            } else {
                objectSchema(path + ".input", input);
            }
            JsonNode params = node.get("params");
            if (params == null || params.isNull()) {
                params = JsonSchemas.DEFAULT_PARAMS;
            } else {
                objectSchema(path + ".params", params);
            }
            JsonNode output = node.get("output");
            if (output != null && !output.isNull()) {
                schema(path + ".output", output);
            } else {
                output = null;
            }
            boolean vector = false;
            JsonNode v = node.get("vector");
            if (v != null && !v.isNull()) {
                if (v.isBoolean()) {
                    vector = v.booleanValue();
                } else {
                    in.problem(path + ".vector", "must be true or false");
                }
            }
            String description = in.string(node, "description", path, false);
            if (in.problems() != before) {
                return null;
            }
            return new Mode(name, input, params, output, vector, description == null ? "" : description,
                    new Mode.CompiledSchemas(JsonSchemas.compile(input), JsonSchemas.compile(params),
                            output == null ? null : JsonSchemas.compile(output)));
        }

        /** Input and params are always JSON objects on the wire, so their schemas must say so. */
        private void objectSchema(String path, JsonNode schema) {
            if (!schema(path, schema)) {
                return;
            }
            JsonNode type = schema.get("type");
            if (type == null || !type.isString() || !"object".equals(type.stringValue())) {
                in.problem(path, "must be a schema with type: object (this value is always a JSON object)");
            }
        }

        private boolean schema(String path, JsonNode schema) {
            if (!schema.isObject()) {
                in.problem(path, "must be a JSON Schema (a mapping)");
                return false;
            }
            List<String> found = JsonSchemas.problems(schema);
            for (String p : found) {
                in.problem(path, "is not a valid JSON Schema 2020-12: " + p);
            }
            return found.isEmpty();
        }
    }
}
