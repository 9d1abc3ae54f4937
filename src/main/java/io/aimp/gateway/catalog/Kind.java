package io.aimp.gateway.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * What a published model is: the name of its kind, e.g. {@code text}. A kind is a plug-in (its own package with
 * a {@link KindSettings} and an executor); the catalog loads only models of the kinds this gateway registers.
 * The name is also the name of the kind's block in a catalog file.
 */
public record Kind(String wireName) {

    static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

    // A kind's name belongs to its package (e.g. ChatSettings.KIND). These three are also how a call is priced
    // (billing/Pricer): by token, by item, by image (an image call's per-image price comes from its size and quality).
    public static final Kind TEXT = new Kind("text");
    public static final Kind EMBEDDING = new Kind("embedding");
    public static final Kind IMAGE = new Kind("image");

    public Kind {
        if (wireName == null || !NAME.matcher(wireName).matches()) {
            throw new IllegalArgumentException("a kind name must match " + NAME.pattern() + ": " + wireName);
        }
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
