package io.aimp.gateway.support;

import java.nio.file.Path;

/** The catalog files of {@link BlocksHttpTest}. */
final class BlocksCatalog {

    private BlocksCatalog() {
    }

    static Path write(Path dir) {
        BlocksHttpTest.write(dir, "bulk.yaml", """
                slug: bulk-model
                name: Bulk
                kind: text
                description: fails inputs containing fail-me while the fake is told to
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-flaky, model: f, timeout_ms: 5000}]
                    pricing: {per_run: 0.01}
                text: {prompt: "{{input.text}}"}
                """);
        BlocksHttpTest.write(dir, "router-flow.yaml", """
                slug: router-flow
                name: Router flow
                kind: workflow
                description: classifies a question, then searches the handbook or asks another model
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [topic], additionalProperties: false, properties: {topic: {type: string}}}
                    output:
                      type: object
                      required: [answer, route]
                      additionalProperties: false
                      properties: {answer: {type: string, minLength: 1}, route: {enum: [then, else]}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-echo, model: e, timeout_ms: 5000}]
                    pricing: {per_run: 0.002}
                workflow:
                  blocks:
                    classify: {type: prompt, prompt: "{{input.topic}}"}
                    route: {type: condition, if: 'blocks.classify.output.text contains "docs"', then: lookup, else: delegate}
                    lookup: {type: search, knowledge_base: text-embed, scope: handbook, query: "{{input.topic}}", top_k: 2}
                    delegate: {type: model, model: bulk-model, input: {text: "{{input.topic}}"}}
                    shape:
                      type: transform
                      value:
                        answer: "$.blocks.lookup.output.hits[0].text | $.blocks.delegate.output.text"
                        route: "$.blocks.route.output.branch"
                    out: {type: output, from: shape}
                """);
        BlocksHttpTest.write(dir, "broken-flow.yaml", """
                slug: broken-flow
                name: Broken flow
                kind: workflow
                description: its model block fails, and the second one falls back to a transform
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [topic], properties: {topic: {type: string}}}
                    output: {type: object, required: [answer], properties: {answer: {type: string}}}
                releases:
                  - version: 1.0.0
                    routes: [{provider: fake-echo, model: e, timeout_ms: 5000}]
                workflow:
                  blocks:
                    ask: {type: model, model: bulk-model, input: {text: "{{input.topic}}"}, fallback: rescue}
                    rescue: {type: transform, value: {text: "rescued"}}
                    must: {type: model, model: bulk-model, input: {text: "{{input.topic}} again"}, after: [rescue]}
                    out:
                      type: output
                      value: {answer: "$.blocks.ask.output.text | $.blocks.rescue.output.text", second: "$.blocks.must.output.text"}
                """);
        return dir;
    }
}
