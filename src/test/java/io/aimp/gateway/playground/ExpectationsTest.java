package io.aimp.gateway.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.common.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The expectations of an evaluation case: what each checks, and the reasons it gives. */
class ExpectationsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Expectations read(String json) {
        List<FieldError> errors = new ArrayList<>();
        Expectations e = Expectations.read(JSON.readTree(json), "$.expect", errors);
        assertThat(errors).isEmpty();
        return e;
    }

    private static Expectations.Observed observed(String outputJson, long costMicros, long latencyMs) {
        return new Expectations.Observed(JSON.readTree(outputJson), costMicros, latencyMs, List.of());
    }

    @Test
    void should_check_the_answer_text_of_a_reply_with_contains_not_contains_and_regex() {
        Expectations e = read("{\"contains\": [\"five days\", \"refund\"], \"not_contains\": \"sorry\", \"regex\": \"\\\\d+ days?\"}");

        assertThat(e.check(observed("{\"reply\": \"A refund takes five days.\"}", 0, 0)))
                .containsExactly("regex: the answer does not match \\d+ days?");
        assertThat(e.check(observed("{\"reply\": \"sorry, a refund takes 5 days, five days\"}", 0, 0)))
                .containsExactly("not_contains: the answer contains \"sorry\"");
    }

    @Test
    void should_give_up_on_a_pattern_that_backtracks_without_end_and_fail_the_case_saying_so() {
        // unbounded, this match runs for minutes: each of the 12 groups tries every split of the 40 letters
        Expectations e = read("{\"regex\": \"(.*a){12}!\"}");
        String answer = "a".repeat(40);

        assertThat(e.check(observed("{\"reply\": \"" + answer + "\"}", 0, 0)))
                .singleElement().asString().startsWith("regex: gave up matching (.*a){12}! after");
    }

    @Test
    void should_give_up_on_a_json_schema_pattern_that_backtracks_without_end_and_fail_the_case_saying_so() {
        // the same pattern as a JSON Schema keyword, on a property of the answer parsed as JSON
        Expectations e = read("{\"json_schema\": {\"type\": \"object\", \"properties\": "
                + "{\"word\": {\"type\": \"string\", \"pattern\": \"(.*a){12}!\"}}}}");
        String answer = "{\\\"word\\\": \\\"" + "a".repeat(40) + "\\\"}";

        assertThat(e.check(observed("{\"text\": \"" + answer + "\"}", 0, 0)))
                .containsExactly("json_schema: gave up matching the pattern (.*a){12}! after 5000000 steps; simplify the "
                        + "pattern (nested repetition backtracks without end)");
        // a pattern that answers quickly still fails and passes as it should
        Expectations plain = read("{\"json_schema\": {\"properties\": {\"word\": {\"pattern\": \"^b+$\"}}}}");
        assertThat(plain.check(observed("{\"word\": \"bbb\"}", 0, 0))).isEmpty();
        assertThat(plain.check(observed("{\"word\": \"abc\"}", 0, 0))).singleElement().asString()
                .startsWith("json_schema: $.word ");
    }

    @Test
    void should_compare_values_at_json_paths_of_the_answer_parsed_as_json() {
        Expectations e = read("{\"equals\": [{\"path\": \"$.items[1].name\", \"value\": \"rye\"}, {\"path\": \"$.count\", \"value\": 2}]}");

        assertThat(e.check(observed("{\"text\": \"{\\\"count\\\": 2, \\\"items\\\": [{\\\"name\\\": \\\"spelt\\\"}, {\\\"name\\\": \\\"rye\\\"}]}\"}", 0, 0)))
                .isEmpty();
        assertThat(e.check(observed("{\"count\": 3, \"items\": []}", 0, 0)))
                .containsExactly("equals: $.items[1].name is missing, expected \"rye\"", "equals: $.count is 3, expected 2");
    }

    @Test
    void should_check_citations_and_latency() {
        Expectations e = read("{\"citations_include\": [\"p-refund\", \"p-card\"], \"max_latency_ms\": 500}");

        List<String> reasons = e.check(observed("{\"reply\": \"x\", \"citations\": [{\"id\": \"p-refund\"}]}", 0, 501));

        assertThat(reasons).containsExactly("max_latency_ms: the run took 501 ms, more than 500",
                "citations_include: p-card is not cited (cited: [p-refund])");
    }

    @Test
    void should_match_tool_call_arguments_by_value_contains_and_regex() {
        Expectations e = read("{\"tool_called\": {\"name\": \"http_get\", \"arguments\": {\"url\": {\"regex\": \"^https://docs\\\\.\"}, "
                + "\"depth\": 2}}}");
        JsonNode args = JSON.readTree("{\"url\": \"https://docs.example.com/a\", \"depth\": 2}");

        assertThat(e.check(new Expectations.Observed(null, 0, 0, List.of(new Expectations.Call("http_get", args))))).isEmpty();
        assertThat(e.check(new Expectations.Observed(null, 0, 0, List.of(new Expectations.Call("http_get",
                JSON.readTree("{\"url\": \"https://docs.example.com/a\", \"depth\": 3}"))))))
                .singleElement().asString().startsWith("tool_called: no call of http_get with the expected arguments");
    }

    @Test
    void should_report_every_malformed_expectation_with_its_path() {
        List<FieldError> errors = new ArrayList<>();
        Expectations.read(JSON.readTree("{\"regex\": \"(\", \"max_cost\": \"lots\", \"equals\": {\"value\": 1}, "
                + "\"json_schema\": {\"type\": \"nonsense\"}, \"tool_called\": 7, \"sounds_like\": 1}"), "$.cases[2].expect", errors);

        assertThat(errors).extracting(FieldError::path).containsExactlyInAnyOrder("$.cases[2].expect.sounds_like",
                "$.cases[2].expect.regex", "$.cases[2].expect.json_schema", "$.cases[2].expect.equals",
                "$.cases[2].expect.max_cost", "$.cases[2].expect.tool_called");
    }
}
