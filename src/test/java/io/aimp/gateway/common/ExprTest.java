package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExprTest {

    private static final JsonNode SCOPE = JsonMapper.builder().build().readTree("""
            {"input": {"topic": "docs: keys", "count": 3, "tags": ["a", "b"], "empty": ""},
             "blocks": {"classify": {"output": {"text": "docs", "score": 0.75}}}}""");

    @ParameterizedTest
    @ValueSource(strings = {
            "blocks.classify.output.text == \"docs\"",
            "blocks.classify.output.text == 'docs' and input.count > 2",
            "input.count >= 3 && input.count <= 3",
            "input.count == 3.0",
            "not (input.count < 3)",
            "!input.empty",
            "input.topic contains 'keys'",
            "input.tags contains \"b\"",
            "input.tags[1] == 'b'",
            "blocks.missing.output.text == null",
            "blocks.classify.output.score > 0.5 or false",
            "input.count != 4",
            "'abc' < 'abd'",
            "input.topic"
    })
    void should_hold(String expression) {
        assertThat(Expr.parse(expression).test(SCOPE)).as(expression).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "blocks.classify.output.text == 'other'",
            "input.count > 3",
            "input.empty",
            "blocks.missing.output.text",
            "input.count < 'x'",
            "input.tags contains 'z'",
            "false or (true and false)"
    })
    void should_not_hold(String expression) {
        assertThat(Expr.parse(expression).test(SCOPE)).as(expression).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "input.count ==", "(true", "input.getClass()", "'open", "a..b", "input.x[y]",
            "and true", "1 2", "java.lang.Runtime.getRuntime().exec('x')"})
    void should_refuse_what_is_not_an_expression(String expression) {
        assertThatThrownBy(() -> Expr.parse(expression)).isInstanceOf(Expr.SyntaxError.class);
    }

    @Test
    void should_list_its_references() {
        List<String> refs = new ArrayList<>();
        Expr.parse("blocks.a.output.text == input.x[0] or not params.y").references(refs::add);
        assertThat(refs).containsExactly("blocks.a.output.text", "input.x[0]", "params.y");
    }
}
