package io.aimp.gateway.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a published model is; the kind picks the executor that runs its modes. */
public enum Kind {
    TEXT, CHAT, ASSISTANT, WORKFLOW, EMBEDDING, IMAGE, FORM, CONTENT;

    /** The wire and catalog-file name, e.g. {@code text}; also the name of the kind's block in a catalog file. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromWireName(String value) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(value)).findFirst();
    }

    /** {@code text, chat, ...} for messages that list the valid kinds. */
    public static String wireNames() {
        return Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", "));
    }
}
