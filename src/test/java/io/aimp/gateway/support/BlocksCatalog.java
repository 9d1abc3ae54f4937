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
        return dir;
    }
}
