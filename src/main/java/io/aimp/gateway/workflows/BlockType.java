package io.aimp.gateway.workflows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The blocks a workflow is made of, with the fields each accepts and the output fields it produces. */
enum BlockType {
    MODEL(Set.of("model", "mode", "input", "params"), Set.of()),
    PROMPT(Set.of("prompt", "system", "temperature", "max_tokens"), Set.of("text")),
    SEARCH(Set.of("knowledge_base", "query", "scope", "top_k"), Set.of("hits")),
    CONDITION(Set.of("if", "then", "else"), Set.of("value", "branch")),
    TRANSFORM(Set.of("value"), Set.of()),
    HTTP(Set.of("url", "method", "headers", "body"), Set.of("status", "body")),
    OUTPUT(Set.of("from", "value"), Set.of());

    static final Set<String> COMMON = Set.of("type", "after", "fallback", "description");

    private final Set<String> fields;
    private final Set<String> outputFields;

    BlockType(Set<String> fields, Set<String> outputFields) {
        this.fields = fields;
        this.outputFields = outputFields;
    }

    Set<String> fields() {
        return fields;
    }

    /** The fields its output is known to have; empty when its shape is open (model, transform). */
    Set<String> outputFields() {
        return outputFields;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<BlockType> fromWireName(String s) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(s)).findFirst();
    }

    static String wireNames() {
        return Arrays.stream(values()).map(BlockType::wireName).collect(Collectors.joining(", "));
    }
}
