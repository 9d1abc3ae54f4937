package io.aimp.gateway.api;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/** Reads JSON strings only (no numbers or objects coerced into text) and refuses NUL characters. */
final class StrictStringDeserializer extends StdScalarDeserializer<String> {

    StrictStringDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
        String s = p.getString();
        if (s.indexOf('\u0000') >= 0) {
            return (String) ctxt.handleWeirdStringValue(String.class, "(contains NUL)", "NUL characters are not allowed");
        }
        return s;
    }
}
