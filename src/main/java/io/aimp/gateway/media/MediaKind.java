package io.aimp.gateway.media;

import java.util.Locale;
import java.util.Optional;

/** What an upload is: the wire's {@code media_type}. Each kind has its own content types and size cap. */
public enum MediaKind {
    IMAGE, AUDIO, VIDEO, FILE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<MediaKind> parse(String value) {
        for (MediaKind k : values()) {
            if (k.wireName().equals(value)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
