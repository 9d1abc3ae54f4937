package io.aimp.gateway.media;

import io.aimp.gateway.common.GatewayException;
import java.text.Normalizer;

/**
 * A client's filename is a label, kept for display and the download's Content-Disposition; it never
 * names anything in storage. It is still cleaned so nothing path-like is kept: only the last path
 * segment (after {@code /} or {@code \}), no control characters, no leading dots or spaces.
 */
final class Filenames {

    static final int MAX_LENGTH = 255;

    private Filenames() {
    }

    /**
     * @throws GatewayException 400 {@code invalid_filename} for names that are empty once cleaned, or longer
     *                          than {@value #MAX_LENGTH} characters
     */
    static String clean(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("filename is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw invalid("filename must have at most " + MAX_LENGTH + " characters");
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1);
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT
                && c != ':' && c != '"').forEach(sb::appendCodePoint);
        name = sb.toString().strip();
        int start = 0;
        while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == ' ')) {
            start++;
        }
        name = name.substring(start);
        if (name.isEmpty()) {
            throw invalid("filename must name a file, e.g. image.png; path segments and leading dots are not kept");
        }
        return name;
    }

    private static GatewayException invalid(String message) {
        return GatewayException.invalidField("invalid_filename", "$.filename", message);
    }
}
