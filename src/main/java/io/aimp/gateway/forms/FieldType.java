package io.aimp.gateway.forms;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The input types of a form field; the wire name is the HTML input type a frontend draws. */
public enum FieldType {
    TEXT, TEXTAREA, NUMBER, RANGE, EMAIL, URL, SELECT, RADIO, CHECKBOX, DATE, TIME, DATETIME, COLOR, FILE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Free text a person types: where prompt-injection patterns are looked for. */
    boolean freeText() {
        return this == TEXT || this == TEXTAREA;
    }

    static FieldType of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(wireName)).findFirst().orElse(null);
    }

    static String names() {
        return Arrays.stream(values()).map(FieldType::wireName).collect(Collectors.joining(", "));
    }
}
