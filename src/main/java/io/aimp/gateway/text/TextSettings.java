package io.aimp.gateway.text;

import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code text:} block of a text model, compiled when the catalog loads.
 *
 * @param system the system message template over {@code input} and {@code params}, or {@code null}
 * @param prompt the user message template
 */
public record TextSettings(Template system, Template prompt) {

    private static final Set<String> FIELDS = SettingsReader.fields("prompt", "system");

    /** Reads {@code text: {prompt, system}}; the block and its prompt are required. */
    @Component
    public static final class Reader implements KindSettings<TextSettings> {

        @Override
        public Kind kind() {
            return Kind.TEXT;
        }

        /** The templates a playground run may replace for itself. */
        @Override
        public Set<String> overridable() {
            return Set.of("prompt", "system");
        }

        @Override
        public TextSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("text", "is required for a text model: give at least prompt (a Mustache template such as \"{{input.text}}\")");
                return null;
            }
            in.unknownFields(block, "text", FIELDS);
            Template prompt = in.template(block, "prompt", "text", true);
            Template system = in.template(block, "system", "text", false);
            return new TextSettings(system, prompt);
        }
    }
}
