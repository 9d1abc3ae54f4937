package io.aimp.gateway.content;

import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code content:} block of a content model, compiled when the catalog loads.
 *
 * @param system             the system message template of every call, or {@code null}
 * @param steps              what {@code generate} can produce, each with its user message template, in the
 *                           order they run ({@link #STEPS})
 * @param operations         the named edit operations, each an instruction template over {@code text},
 *                           {@code input} and {@code params}
 * @param instruction        the template of a free-form edit ({@code input.instruction})
 * @param statuses           the statuses a run may set
 * @param defaultStatus      the status of a post when the run sets none
 * @param checks             the edit checks that must pass before an edit is saved
 * @param maxLengthChange    the bound of the {@code length} check, in percent of the source's text length
 * @param protectedElements  elements (e.g. {@code pre}, {@code code}) an edit must leave unchanged
 * @param protectedPatterns  patterns (e.g. shortcodes) whose matches an edit must leave unchanged
 */
public record ContentSettings(Template system, Map<String, Template> steps, Map<String, Template> operations,
                              Template instruction, List<String> statuses, String defaultStatus, Set<String> checks,
                              int maxLengthChange, List<String> protectedElements, List<Pattern> protectedPatterns) {

    public static final Kind KIND = new Kind("content");
    static final String GENERATE = "generate";
    static final String EDIT = "edit";
    static final List<String> STEPS = List.of("title", "content", "excerpt", "tags", "categories", "seo_description");
    static final List<String> STATUSES = List.of("draft", "pending", "publish", "private");
    static final List<String> CHECKS = List.of("well_formed", "links_preserved", "images_preserved", "length",
            "language", "protected_spans");
    static final List<String> REQUIRED_OPERATIONS = List.of("rewrite", "summarize", "translate", "paraphrase",
            "shorten", "expand", "fix_grammar", "change_tone");
    static final int DEFAULT_MAX_LENGTH_CHANGE = 50;
    static final int MAX_PATTERNS = 20;
    static final String DEFAULT_INSTRUCTION = "Apply this instruction to the HTML below. Answer with the edited HTML "
            + "only, keeping every link, image, code block and shortcode unless the instruction says otherwise.\n\n"
            + "Instruction: {{input.instruction}}\n\n{{text}}";

    private static final Set<String> FIELDS = SettingsReader.fields("system", "steps", "operations", "instruction",
            "statuses", "default_status", "checks", "max_length_change_percent", "protected_elements",
            "protected_patterns");

    /** Reads {@code content: {...}}; the block, at least one step and the eight named operations are required. */
    @Component
    public static final class Reader implements KindSettings<ContentSettings> {

        @Override
        public Kind kind() {
            return KIND;
        }

        @Override
        public ContentSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("content", "is required for a content model: give steps and operations");
                return null;
            }
            in.unknownFields(block, "content", FIELDS);
            for (String mode : model.modes().keySet()) {
                if (!GENERATE.equals(mode) && !EDIT.equals(mode)) {
                    in.problem("modes." + mode, "is not a content mode (known: edit, generate)");
                }
            }
            Template system = in.template(block, "system", "content", false);
            Map<String, Template> steps = templates(block, "steps", STEPS, in);
            if (steps != null && steps.isEmpty()) {
                in.problem("content.steps", "needs at least one step (known: " + String.join(", ", STEPS) + ")");
            }
            Map<String, Template> operations = templates(block, "operations", null, in);
            if (operations != null) {
                for (String op : REQUIRED_OPERATIONS) {
                    if (!operations.containsKey(op)) {
                        in.problem("content.operations." + op, "is required (every content model offers "
                                + String.join(", ", REQUIRED_OPERATIONS) + ")");
                    }
                }
            }
            Template instruction = block.has("instruction") ? in.template(block, "instruction", "content", true)
                    : SettingsReader.TEMPLATES.compile(DEFAULT_INSTRUCTION);
            List<String> statuses = names(block, "statuses", STATUSES, STATUSES, in);
            String defaultStatus = block.has("default_status") ? in.string(block, "default_status", "content", true)
                    : statuses.isEmpty() ? null : statuses.getFirst();
            if (defaultStatus != null && !statuses.contains(defaultStatus)) {
                in.problem("content.default_status", "must be one of the statuses (" + String.join(", ", statuses) + ")");
            }
            List<String> checks = names(block, "checks", CHECKS, List.of(), in);
            int maxLengthChange = in.whole(block, "max_length_change_percent", "content", 1, 1000,
                    DEFAULT_MAX_LENGTH_CHANGE);
            List<String> elements = elements(block, in);
            List<Pattern> patterns = patterns(block, in);
            return new ContentSettings(system, steps, operations, instruction, statuses, defaultStatus,
                    Set.copyOf(checks), maxLengthChange, elements, patterns);
        }

        private static Map<String, Template> templates(JsonNode block, String field, List<String> known, SettingsReader in) {
            String path = "content." + field;
            JsonNode node = block.get(field);
            if (node == null) {
                in.problem(path, "is required");
                return null;
            }
            if (!in.mapping(node, path, "a mapping of names to templates")) {
                return null;
            }
            Map<String, Template> out = new LinkedHashMap<>();
            if (known != null) {
                in.unknownFields(node, path, known);
                for (String name : known) {
                    if (node.has(name)) {
                        out.put(name, in.template(node, name, path, true));
                    }
                }
                return out;
            }
            for (String name : node.propertyNames()) {
                if (!name.matches("[a-z][a-z0-9_]{0,39}")) {
                    in.problem(SettingsReader.at(path, name), "must be a lower-case name (letters, digits, _)");
                    continue;
                }
                out.put(name, in.template(node, name, path, true));
            }
            return out;
        }

        private static List<String> names(JsonNode block, String field, List<String> known, List<String> fallback,
                                          SettingsReader in) {
            JsonNode node = block.get(field);
            if (node == null) {
                return fallback;
            }
            String path = "content." + field;
            if (!node.isArray()) {
                in.problem(path, "must be a list of names (known: " + String.join(", ", known) + ")");
                return fallback;
            }
            Set<String> out = new LinkedHashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String name = node.get(i).asString("");
                if (!known.contains(name)) {
                    in.problem(path + "[" + i + "]", "is not known (known: " + String.join(", ", known) + ")");
                } else {
                    out.add(name);
                }
            }
            if (out.isEmpty() && !known.equals(CHECKS)) {
                in.problem(path, "needs at least one name");
            }
            return List.copyOf(out);
        }

        private static List<String> elements(JsonNode block, SettingsReader in) {
            JsonNode node = block.get("protected_elements");
            if (node == null) {
                return List.of("pre", "code");
            }
            List<String> out = new ArrayList<>();
            if (!node.isArray()) {
                in.problem("content.protected_elements", "must be a list of element names, e.g. [pre, code]");
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                String name = node.get(i).asString("");
                if (!name.matches("[a-z][a-z0-9]{0,15}")) {
                    in.problem("content.protected_elements[" + i + "]", "must be an element name such as pre");
                } else {
                    out.add(name);
                }
            }
            return List.copyOf(out);
        }

        private static List<Pattern> patterns(JsonNode block, SettingsReader in) {
            JsonNode node = block.get("protected_patterns");
            if (node == null) {
                return List.of();
            }
            List<Pattern> out = new ArrayList<>();
            if (!node.isArray() || node.size() > MAX_PATTERNS) {
                in.problem("content.protected_patterns", "must be a list of at most " + MAX_PATTERNS
                        + " regular expressions, e.g. ['\\[gallery[^\\]]*\\]']");
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                String p = node.get(i).asString("");
                try {
                    if (p.isEmpty()) {
                        throw new PatternSyntaxException("empty", p, 0);
                    }
                    out.add(Pattern.compile(p));
                } catch (PatternSyntaxException e) {
                    in.problem("content.protected_patterns[" + i + "]", "is not a regular expression");
                }
            }
            return List.copyOf(out);
        }
    }
}
