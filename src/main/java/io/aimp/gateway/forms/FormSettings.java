package io.aimp.gateway.forms;

import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.SettingsReader;
import io.aimp.gateway.common.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code form:} block of a form model, read and checked once when the catalog loads: the fields a frontend
 * draws and the gateway checks, cross-field rules, the prompt templates, the answer's shape, moderation and the
 * sampling the release fixes.
 *
 * @param fields     in display order
 * @param rules      cross-field rules, checked once every field is valid
 * @param system     the system message template over {@code fields} and {@code params}, or {@code null}
 * @param prompt     the user message template
 * @param structured whether the answer is the JSON document of the {@code submit} mode's output schema
 *                   ({@code output: json}) rather than {@code {text}}
 */
public record FormSettings(List<FormField> fields, List<Rule> rules, Template system, Template prompt, boolean structured,
                           Moderation moderation, Sampling sampling) {

    public static final Kind KIND = new Kind("form");
    /** The one mode of a form: {@code input: {fields: {...}}}. */
    public static final String MODE = "submit";
    static final int MAX_FIELDS = 100;
    static final int MAX_RULES = 50;
    static final int MAX_OPTIONS = 200;
    static final int MAX_LENGTH = 100_000;
    static final Pattern FIELD_ID = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private static final Set<String> BLOCK_FIELDS = SettingsReader.fields("fields", "rules", "prompt", "system", "output",
            "moderation", "sampling");
    private static final Set<String> FIELD_FIELDS = SettingsReader.fields("id", "label", "type", "required", "min", "max",
            "min_length", "max_length", "pattern", "options", "default", "placeholder", "help", "message");
    private static final Set<String> RULE_FIELDS = SettingsReader.fields("check", "message", "field");
    private static final Set<String> SAMPLING_FIELDS = SettingsReader.fields("temperature", "max_tokens", "allow");
    /** The sampling params a form may let callers set. */
    static final Set<String> SAMPLING_PARAMS = SettingsReader.fields("temperature", "max_tokens");

    public FormField field(String id) {
        return fields.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * A cross-field rule: {@code check} must hold over the field values (e.g. {@code end >= start}).
     *
     * @param field where a failure is reported: the rule's {@code field}, else the first field it names
     */
    public record Rule(Expr check, String message, String field) {
    }

    /**
     * Sampling for deterministic processing: the release's values, unless {@code allow} lets callers send them as
     * params.
     *
     * @param maxTokens the output cap asked for, or {@code null} for the release's limit
     */
    public record Sampling(double temperature, Integer maxTokens, Set<String> allow) {
        static final Sampling DEFAULT = new Sampling(0.0, null, Set.of());
    }

    /** Reads {@code form: {fields, rules, prompt, system, output, moderation, sampling}}. */
    @Component
    public static final class Reader implements KindSettings<FormSettings> {

        @Override
        public Kind kind() {
            return KIND;
        }

        @Override
        public FormSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("form", "is required for a form model: give fields and prompt");
                return null;
            }
            in.unknownFields(block, "form", BLOCK_FIELDS);
            Mode submit = model.modes().get(MODE);
            if (submit == null || model.modes().size() != 1) {
                in.problem("modes", "a form has exactly one mode, " + MODE + " (input: {fields: {...}})");
            }
            List<FormField> fields = fields(block.get("fields"), in);
            // every declared id, also of a field with problems: rules and moderation naming it are not wrong too
            Set<String> ids = new HashSet<>();
            JsonNode declared = block.get("fields");
            if (declared != null && declared.isArray()) {
                declared.forEach(f -> ids.add(f.path("id").asString("")));
            }
            List<Rule> rules = rules(block.get("rules"), ids, in);
            Template prompt = in.template(block, "prompt", "form", true);
            Template system = in.template(block, "system", "form", false);
            String output = in.string(block, "output", "form", false);
            boolean structured = "json".equals(output);
            if (output != null && !structured && !"text".equals(output)) {
                in.problem("form.output", "must be json (the submit mode's output schema) or text");
            }
            if (structured && submit != null && !"object".equals(submit.outputSchema() == null ? ""
                    : submit.outputSchema().path("type").asString(""))) {
                in.problem("form.output", "json needs an output schema of type object on modes." + MODE);
            }
            Moderation moderation = Moderation.read(block.get("moderation"), ids, in);
            Sampling sampling = sampling(block.get("sampling"), in);
            if (submit != null) {
                JsonNode params = submit.paramsSchema().path("properties");
                for (String name : params.propertyNames()) {
                    if (!sampling.allow().contains(name)) {
                        in.problem("modes." + MODE + ".params.properties." + name, "is not a param this form lets callers"
                                + " set: list it in form.sampling.allow (one of " + String.join(", ", SAMPLING_PARAMS) + ")");
                    }
                }
            }
            return new FormSettings(fields, rules, system, prompt, structured, moderation, sampling);
        }

        private static List<FormField> fields(JsonNode node, SettingsReader in) {
            List<FormField> fields = new ArrayList<>();
            if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_FIELDS) {
                in.problem("form.fields", "must list 1 to " + MAX_FIELDS + " fields, each with id, label and type");
                return fields;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String path = "form.fields[" + i + "]";
                JsonNode f = node.get(i);
                if (!in.mapping(f, path, "with id, label and type")) {
                    continue;
                }
                String id = f.path("id").isString() ? f.path("id").stringValue() : null;
                if (id != null && !seen.add(id)) {
                    in.problem(path + ".id", "'" + id + "' is used by another field");
                    continue;
                }
                FormField field = field(f, path, in);
                if (field != null) {
                    fields.add(field);
                }
            }
            return fields;
        }

        private static FormField field(JsonNode f, String path, SettingsReader in) {
            int before = in.problems();
            in.unknownFields(f, path, FIELD_FIELDS);
            String id = in.string(f, "id", path, true);
            if (id != null && !FIELD_ID.matcher(id).matches()) {
                in.problem(path + ".id", "must match " + FIELD_ID.pattern());
            }
            String label = in.string(f, "label", path, true);
            String typeName = in.string(f, "type", path, true);
            FieldType type = typeName == null ? null : FieldType.of(typeName);
            if (typeName != null && type == null) {
                in.problem(path + ".type", "'" + typeName + "' is not a field type (one of " + FieldType.names() + ")");
            }
            JsonNode required = f.get("required");
            if (required != null && !required.isBoolean()) {
                in.problem(path + ".required", "must be true or false");
            }
            JsonNode min = bound(f, "min", type, path, in);
            JsonNode max = bound(f, "max", type, path, in);
            if (type == FieldType.RANGE && (min == null || max == null)) {
                in.problem(path, "a range field needs min and max");
            }
            int minLength = in.whole(f, "min_length", path, 0, MAX_LENGTH, 0);
            int maxLength = in.whole(f, "max_length", path, 0, MAX_LENGTH, type == FieldType.TEXTAREA ? 10_000 : 1_000);
            if (minLength > maxLength) {
                in.problem(path + ".min_length", "must not exceed max_length (" + maxLength + ")");
            }
            Pattern pattern = null;
            String regex = in.string(f, "pattern", path, false);
            if (regex != null) {
                try {
                    pattern = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    in.problem(path + ".pattern", "is not a regular expression: " + e.getDescription());
                }
            }
            Map<String, String> options = options(f.get("options"), type, path, in);
            String placeholder = in.string(f, "placeholder", path, false);
            String help = in.string(f, "help", path, false);
            String message = in.string(f, "message", path, false);
            if (in.problems() != before) {
                return null;
            }
            FormField field = new FormField(id, label, type, required != null && required.booleanValue(), min, max,
                    minLength, maxLength, pattern, options, null, placeholder, help, message);
            JsonNode fallback = f.get("default");
            if (fallback != null && !fallback.isNull()) {
                String problem = FormChecks.check(field, fallback);
                if (problem != null) {
                    in.problem(path + ".default", "is not a valid value of the field: " + problem);
                    return null;
                }
                field = field.withDefault(fallback);
            }
            return field;
        }

        /** {@code min}/{@code max}: numbers for number and range, values of the type for date, time and datetime. */
        private static JsonNode bound(JsonNode f, String name, FieldType type, String path, SettingsReader in) {
            JsonNode n = f.get(name);
            if (n == null || n.isNull() || type == null) {
                return null;
            }
            boolean fits = switch (type) {
                case NUMBER, RANGE -> n.isNumber();
                case DATE, TIME, DATETIME -> n.isString() && FormChecks.temporal(type, n.stringValue()) != null;
                case CHECKBOX -> n.isIntegralNumber() && n.asInt() >= 0;
                default -> false;
            };
            if (!fits) {
                in.problem(SettingsReader.at(path, name), switch (type) {
                    case NUMBER, RANGE -> "must be a number";
                    case DATE, TIME, DATETIME -> "must be a " + type.wireName() + " value like the field's own";
                    case CHECKBOX -> "must be a whole number of options to tick";
                    default -> "does not apply to a " + type.wireName() + " field (use min_length/max_length)";
                });
                return null;
            }
            return n;
        }

        private static Map<String, String> options(JsonNode node, FieldType type, String path, SettingsReader in) {
            Map<String, String> options = new LinkedHashMap<>();
            boolean needs = type == FieldType.SELECT || type == FieldType.RADIO;
            if (node == null || node.isNull()) {
                if (needs) {
                    in.problem(path + ".options", "is required for a " + type.wireName() + " field");
                }
                return options;
            }
            if (type != null && !needs && type != FieldType.CHECKBOX) {
                in.problem(path + ".options", "does not apply to a " + type.wireName() + " field");
                return options;
            }
            if (!node.isArray() || node.isEmpty() || node.size() > MAX_OPTIONS) {
                in.problem(path + ".options", "must list 1 to " + MAX_OPTIONS + " options ({value, label} or a string)");
                return options;
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode o = node.get(i);
                String value = o.isString() ? o.stringValue() : o.path("value").isString() ? o.path("value").stringValue() : null;
                String label = o.isString() ? value : o.path("label").asString(value);
                if (value == null || value.isEmpty()) {
                    in.problem(path + ".options[" + i + "]", "must be a string or {value, label} with a string value");
                } else if (options.put(value, label) != null) {
                    in.problem(path + ".options[" + i + "]", "'" + value + "' is listed twice");
                }
            }
            return options;
        }

        private static List<Rule> rules(JsonNode node, Set<String> ids, SettingsReader in) {
            List<Rule> rules = new ArrayList<>();
            if (node == null || node.isNull()) {
                return rules;
            }
            if (!node.isArray() || node.size() > MAX_RULES) {
                in.problem("form.rules", "must list at most " + MAX_RULES + " rules, each {check, message}");
                return rules;
            }
            for (int i = 0; i < node.size(); i++) {
                String path = "form.rules[" + i + "]";
                JsonNode r = node.get(i);
                if (!in.mapping(r, path, "with check and message")) {
                    continue;
                }
                int before = in.problems();
                in.unknownFields(r, path, RULE_FIELDS);
                String text = in.string(r, "check", path, true);
                String message = in.string(r, "message", path, true);
                String field = in.string(r, "field", path, false);
                Expr check = null;
                List<String> named = new ArrayList<>();
                if (text != null) {
                    try {
                        check = Expr.parse(text);
                        check.references(ref -> named.add(ref.split("[.\\[]", 2)[0]));
                    } catch (Expr.SyntaxError e) {
                        in.problem(path + ".check", "is not an expression: " + e.getMessage());
                    }
                }
                for (String ref : named) {
                    if (!ids.contains(ref)) {
                        in.problem(path + ".check", "names '" + ref + "', which is not a field of this form");
                    }
                }
                if (field != null && !ids.contains(field)) {
                    in.problem(path + ".field", "'" + field + "' is not a field of this form");
                }
                if (check != null && field == null && named.isEmpty()) {
                    in.problem(path + ".check", "names no field");
                }
                if (in.problems() == before) {
                    rules.add(new Rule(check, message, field != null ? field : named.getFirst()));
                }
            }
            return rules;
        }

        private static Sampling sampling(JsonNode node, SettingsReader in) {
            if (node == null || node.isNull()) {
                return Sampling.DEFAULT;
            }
            if (!in.mapping(node, "form.sampling", "with temperature, max_tokens and allow")) {
                return Sampling.DEFAULT;
            }
            in.unknownFields(node, "form.sampling", SAMPLING_FIELDS);
            double temperature = 0.0;
            JsonNode t = node.get("temperature");
            if (t != null && (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2)) {
                in.problem("form.sampling.temperature", "must be a number from 0 to 2");
            } else if (t != null) {
                temperature = t.asDouble();
            }
            Integer maxTokens = in.positive(node, "max_tokens", "form.sampling");
            Set<String> allow = new HashSet<>();
            JsonNode a = node.get("allow");
            if (a != null && !a.isArray()) {
                in.problem("form.sampling.allow", "must list params callers may set (" + String.join(", ", SAMPLING_PARAMS) + ")");
            } else if (a != null) {
                for (JsonNode p : a) {
                    if (!p.isString() || !SAMPLING_PARAMS.contains(p.stringValue())) {
                        in.problem("form.sampling.allow", "'" + p.asString() + "' is not one of " + String.join(", ", SAMPLING_PARAMS));
                    } else {
                        allow.add(p.stringValue());
                    }
                }
            }
            return new Sampling(temperature, maxTokens, Set.copyOf(allow));
        }
    }
}
