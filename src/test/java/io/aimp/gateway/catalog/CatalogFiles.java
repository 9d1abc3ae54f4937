package io.aimp.gateway.catalog;

/** Small builders for catalog file texts used by the tests. */
final class CatalogFiles {

    private CatalogFiles() {
    }

    /** A valid text model; {@code extra} is appended at top level. */
    static String textModel(String slug, String extra) {
        return """
                slug: %s
                name: Test model
                kind: text
                description: A model for tests.
                visibility: public
                modes:
                  execute:
                    input:
                      type: object
                      required: [text]
                      additionalProperties: false
                      properties:
                        text: {type: string, minLength: 1}
                        count: {type: integer, minimum: 1}
                releases:
                  - version: 1.0.0
                    routes: [{provider: local, model: echo}]
                    pricing: {per_run: 0.01}
                text:
                  prompt: "{{input.text}}"
                %s
                """.formatted(slug, extra);
    }

    /** A model whose release block is given verbatim, to test release fields. */
    static String withRelease(String slug, String releases) {
        return """
                slug: %s
                kind: text
                visibility: public
                modes:
                  execute:
                    input: {type: object}
                releases:
                %s
                text: {prompt: "{{input.text}}"}
                """.formatted(slug, releases.indent(2));
    }
}
