package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.workflows.WorkflowChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A broken workflow definition stops the catalog from loading, naming the file and the reason. */
class WorkflowDefinitionValidationTest {

    @TempDir
    Path dir;

    private final CatalogLoader loader = TestKinds.loader("local");

    /** A workflow model file whose {@code workflow:} block is {@code blocks} (indented under blocks:). */
    static String workflow(String blocks) {
        return """
                slug: wf
                kind: workflow
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [topic], properties: {topic: {type: string}}}
                    output: {type: object, required: [answer], properties: {answer: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: local, model: echo}]
                workflow:
                  blocks:
                %s
                """.formatted(blocks.indent(4));
    }

    private List<String> problemsOf(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("broken-workflow.yaml"), text);
        try {
            loader.load(new CatalogProperties(dir, false));
        } catch (CatalogException e) {
            assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith(file + ": "));
            return e.problems();
        }
        throw new AssertionError("the catalog loaded although " + file + " is invalid");
    }

    @Test
    void should_load_a_valid_workflow() throws IOException {
        Files.writeString(dir.resolve("ok.yaml"), workflow("""
                ask: {type: prompt, prompt: "{{input.topic}}"}
                pick: {type: condition, if: 'blocks.ask.output.text contains "docs" and not (input.topic == "x")', then: a, else: b}
                a: {type: transform, value: {answer: "$.blocks.ask.output.text"}}
                b: {type: transform, value: {answer: "other {{input.topic}}"}}
                join: {type: transform, value: {answer: "$.blocks.a.output.answer | $.blocks.b.output.answer"}}
                out: {type: output, from: join}
                """));
        assertThat(loader.load(new CatalogProperties(dir, false))).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cycle                   | a: {type: transform, value: {x: "$.blocks.b.output.x"}}\\nb: {type: transform, value: {x: "$.blocks.a.output.x"}}\\nout: {type: output, from: b} | form a cycle: a → b → a
            missing block           | a: {type: transform, value: {x: "$.blocks.nope.output.x"}}\\nout: {type: output, from: a} | refers to block 'nope', which does not exist
            missing input field     | a: {type: prompt, prompt: "{{input.subject}}"}\\nout: {type: output, from: a} | refers to input.subject, which the mode's input schema does not declare
            missing output field    | a: {type: prompt, prompt: "hi"}\\nout: {type: output, value: {answer: "$.blocks.a.output.answer"}} | a prompt block's output has only text
            search top_k out of range | s: {type: search, knowledge_base: kb, query: "{{input.topic}}", top_k: 51}\\nout: {type: output, value: {answer: "x"}, after: [s]} | workflow.blocks.s.top_k must be a whole number from 1 to 50
            unknown type            | a: {type: shell, command: ls}\\nout: {type: output, from: a} | 'shell' is not a block type
            unknown field           | a: {type: prompt, prompt: hi, model: gpt}\\nout: {type: output, from: a} | is not a field of a prompt block
            no output block         | a: {type: prompt, prompt: hi} | has no output block
            two output blocks       | a: {type: prompt, prompt: hi}\\nout: {type: output, from: a}\\nout2: {type: output, from: a} | has 2 output blocks
            output unreachable      | a: {type: prompt, prompt: hi}\\nc: {type: condition, if: 'true', then: out}\\nout: {type: output, from: a} | is reachable only on one branch
            dead block              | a: {type: prompt, prompt: hi}\\nlost: {type: prompt, prompt: lost}\\nout: {type: output, from: a} | never reaches the output block
            bad condition           | c: {type: condition, if: 'blocks.a.output.text ==', then: a}\\na: {type: prompt, prompt: hi}\\nout: {type: output, from: a} | is not a valid condition
            bad template            | a: {type: prompt, prompt: "{{#input.topic}}"}\\nout: {type: output, from: a} | is not a valid Mustache template
            self reference          | a: {type: transform, value: {x: "$.blocks.a.output.x"}}\\nout: {type: output, from: a} | refers to its own block a
            http header owned       | a: {type: http, url: "https://api.example.com/x", headers: {Host: evil.test}}\\nout: {type: output, from: a} | the header Host is set by the gateway
            http host not allowed   | a: {type: http, url: "http://169.254.169.254/latest"}\\nout: {type: output, from: a} | is not on aimp.workflows.http.allowed-hosts
            too many blocks         | a1: {type: prompt, prompt: hi}\\na2: {type: prompt, prompt: hi}\\na3: {type: prompt, prompt: hi}\\na4: {type: prompt, prompt: hi}\\na5: {type: prompt, prompt: hi}\\na6: {type: prompt, prompt: hi}\\na7: {type: prompt, prompt: hi}\\na8: {type: prompt, prompt: hi}\\nout: {type: output, value: {answer: "{{blocks.a1.output.text}}{{blocks.a2.output.text}}{{blocks.a3.output.text}}{{blocks.a4.output.text}}{{blocks.a5.output.text}}{{blocks.a6.output.text}}{{blocks.a7.output.text}}{{blocks.a8.output.text}}"}} | at most 8 are allowed (aimp.workflows.max-blocks)
            """)
    void should_refuse_a_broken_definition_with_the_file_and_the_reason(String name, String blocks, String reason) throws IOException {
        List<String> problems = problemsOf(workflow(blocks.replace("\\n", "\n")));
        assertThat(problems).as(name).anySatisfy(p -> assertThat(p).contains(reason));
    }

    @Test
    void should_refuse_a_workflow_without_an_output_schema_or_with_a_bad_one() throws IOException {
        String noOutput = workflow("a: {type: prompt, prompt: hi}\nout: {type: output, from: a}")
                .replace("    output: {type: object, required: [answer], properties: {answer: {type: string}}}\n", "");
        assertThat(problemsOf(noOutput)).anySatisfy(p -> assertThat(p).contains("modes.execute.output is required for a workflow model"));
        String badSchema = workflow("a: {type: prompt, prompt: hi}\nout: {type: output, from: a}")
                .replace("answer: {type: string}", "answer: {type: strung}");
        assertThat(problemsOf(badSchema)).anySatisfy(p -> assertThat(p).contains("modes.execute.output is not a valid JSON Schema"));
    }

    @Test
    void should_refuse_a_workflow_model_without_a_workflow_block() throws IOException {
        String text = workflow("a: {type: prompt, prompt: hi}").replaceAll("(?s)workflow:\\n.*", "");
        assertThat(problemsOf(text)).anySatisfy(p -> assertThat(p).contains("workflow is required for a workflow model"));
    }
}
