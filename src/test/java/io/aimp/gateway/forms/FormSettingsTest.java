package io.aimp.gateway.forms;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The form block is read and checked when the catalog loads: every problem with its path. */
class FormSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<String> problems = new ArrayList<>();
    private final SettingsReader in = new SettingsReader((path, reason) -> problems.add(path + " " + reason));

    private static final Mode SUBMIT = new Mode("submit", JSON.readTree("{\"type\":\"object\"}"),
            JSON.readTree("{\"type\":\"object\",\"properties\":{\"temperature\":{\"type\":\"number\"}}}"), null, false,
            "", null);

    private FormSettings read(String block) {
        return read(block, Map.of("submit", SUBMIT));
    }

    private FormSettings read(String block, Map<String, Mode> modes) {
        return new FormSettings.Reader().read(block == null ? null : JSON.readTree(block),
                new KindSettings.Model("contact", modes), in);
    }

    @Test
    void should_read_fields_rules_moderation_and_sampling() {
        FormSettings form = read("""
                {"prompt": "{{fields.name}}", "output": "text",
                 "fields": [{"id": "name", "label": "Name", "type": "text", "required": true, "max_length": 40},
                            {"id": "size", "label": "Size", "type": "select", "options": ["s", {"value": "m", "label": "Medium"}],
                             "default": "m"},
                            {"id": "start", "label": "From", "type": "date"}, {"id": "end", "label": "To", "type": "date"}],
                 "rules": [{"check": "end >= start", "message": "end before start"}],
                 "moderation": {"fields": {"name": {"pii": "mask", "pii_types": ["email"]}}, "provider": {"categories": ["hate"]}},
                 "sampling": {"temperature": 0.2, "max_tokens": 100, "allow": ["temperature"]}}""");

        assertThat(problems).isEmpty();
        assertThat(form.fields()).extracting(FormField::id).containsExactly("name", "size", "start", "end");
        assertThat(form.field("size").options()).containsExactly(Map.entry("s", "s"), Map.entry("m", "Medium"));
        assertThat(form.field("size").fallback().asString()).isEqualTo("m");
        assertThat(form.rules()).singleElement().extracting(FormSettings.Rule::field).isEqualTo("end");
        assertThat(form.moderation().fields().get("name").pii()).isEqualTo(Moderation.PiiAction.MASK);
        assertThat(form.moderation().providerCategories()).containsExactly("hate");
        assertThat(form.sampling()).isEqualTo(new FormSettings.Sampling(0.2, 100, java.util.Set.of("temperature")));
        assertThat(form.structured()).isFalse();
    }

    @Test
    void should_name_each_problem_of_the_block() {
        read("""
                {"output": "xml", "colour": 1,
                 "fields": [{"id": "Name", "label": "Name", "type": "slider"},
                            {"id": "level", "label": "Level", "type": "range", "min": 1},
                            {"id": "pick", "label": "Pick", "type": "select", "default": "x"},
                            {"id": "age", "label": "Age", "type": "number", "min": "ten", "default": 5},
                            {"id": "code", "label": "Code", "type": "text", "pattern": "(", "default": "abc"},
                            {"id": "code", "label": "Again", "type": "text"}],
                 "rules": [{"check": "age >", "message": "m"}, {"check": "nobody == 1", "message": "m"}],
                 "moderation": {"fields": {"ghost": {}, "code": {"pii": "hide"}}, "provider": {"categories": []}},
                 "sampling": {"temperature": 3, "allow": ["top_p"]}}""", Map.of());
        read(null);

        assertThat(problems).containsExactly(
                "form.colour is not a known field (known: fields, rules, prompt, system, output, moderation, sampling)",
                "modes a form has exactly one mode, submit (input: {fields: {...}})",
                "form.fields[0].id must match ^[a-z][a-z0-9_]{0,63}$",
                "form.fields[0].type 'slider' is not a field type (one of text, textarea, number, range, email, url, select, "
                        + "radio, checkbox, date, time, datetime, color, file)",
                "form.fields[1] a range field needs min and max",
                "form.fields[2].options is required for a select field",
                "form.fields[3].min must be a number",
                "form.fields[4].pattern is not a regular expression: Unclosed group",
                "form.fields[5].id 'code' is used by another field",
                "form.rules[0].check is not an expression: the expression ends where a value was expected",
                "form.rules[1].check names 'nobody', which is not a field of this form",
                "form.prompt is required",
                "form.output must be json (the submit mode's output schema) or text",
                "form.moderation.fields.ghost is not a field of this form",
                "form.moderation.fields.code.pii must be allow, mask or refuse",
                "form.moderation.provider.categories must list 1 to 20 categories, e.g. [hate, violence]",
                "form.sampling.temperature must be a number from 0 to 2",
                "form.sampling.allow 'top_p' is not one of temperature, max_tokens",
                "form is required for a form model: give fields and prompt");
    }

    @Test
    void should_refuse_a_default_that_is_not_a_valid_value_and_params_the_form_fixes() {
        read("""
                {"prompt": "p", "fields": [{"id": "age", "label": "Age", "type": "number", "max": 10, "default": 11}]}""");

        assertThat(problems).containsExactly("form.fields[0].default is not a valid value of the field: must be at most 10",
                "modes.submit.params.properties.temperature is not a param this form lets callers set: list it in "
                        + "form.sampling.allow (one of temperature, max_tokens)");
    }
}
