package io.aimp.gateway.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The content block is read and checked by the kind itself, each problem with its path. */
class ContentSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String OPERATIONS = "{\"rewrite\":\"r {{text}}\",\"summarize\":\"s {{text}}\",\"translate\":\"t {{text}}\","
            + "\"paraphrase\":\"p {{text}}\",\"shorten\":\"sh {{text}}\",\"expand\":\"e {{text}}\","
            + "\"fix_grammar\":\"f {{text}}\",\"change_tone\":\"c {{text}}\"}";
    private final List<String> problems = new ArrayList<>();
    private final SettingsReader in = new SettingsReader((path, reason) -> problems.add(path + " " + reason));

    private ContentSettings read(String block) {
        return new ContentSettings.Reader().read(block == null ? null : JSON.readTree(block),
                new KindSettings.Model("writer", Map.of()), in);
    }

    @Test
    void should_read_the_block_with_its_defaults() {
        ContentSettings s = read("{\"steps\":{\"content\":\"Write {{input.topic}}\",\"title\":\"T\"},\"operations\":"
                + OPERATIONS + "}");

        assertThat(problems).isEmpty();
        assertThat(s.steps().keySet()).containsExactly("title", "content");
        assertThat(s.statuses()).containsExactly("draft", "pending", "publish", "private");
        assertThat(s.defaultStatus()).isEqualTo("draft");
        assertThat(s.checks()).isEmpty();
        assertThat(s.maxLengthChange()).isEqualTo(ContentSettings.DEFAULT_MAX_LENGTH_CHANGE);
        assertThat(s.protectedElements()).containsExactly("pre", "code");
        assertThat(s.operations()).containsKeys("rewrite", "translate", "change_tone");
    }

    @Test
    void should_name_each_problem_of_the_block() {
        read("{\"steps\":{\"poem\":\"x\"},\"operations\":{\"rewrite\":\"r\"},\"statuses\":[\"draft\",\"live\"],"
                + "\"default_status\":\"publish\",\"checks\":[\"spelling\"],\"protected_patterns\":[\"[\"],\"colour\":1}");
        read(null);

        assertThat(problems).contains(
                "content.colour is not a known field (known: system, steps, operations, instruction, statuses, default_status, "
                        + "checks, max_length_change_percent, protected_elements, protected_patterns)",
                "content.steps.poem is not a known field (known: title, content, excerpt, tags, categories, seo_description)",
                "content.steps needs at least one step (known: title, content, excerpt, tags, categories, seo_description)",
                "content.statuses[1] is not known (known: draft, pending, publish, private)",
                "content.default_status must be one of the statuses (draft)",
                "content.checks[0] is not known (known: well_formed, links_preserved, images_preserved, length, language, protected_spans)",
                "content.protected_patterns[0] is not a regular expression",
                "content is required for a content model: give steps and operations");
        assertThat(problems).anyMatch(p -> p.startsWith("content.operations.summarize is required"));
    }
}
