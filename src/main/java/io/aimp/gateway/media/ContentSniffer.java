package io.aimp.gateway.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides from the bytes themselves (Apache Tika's magic detection, never the filename) whether an
 * upload is what it declared. Active content — executables, scripts, HTML, SVG — is refused unless it
 * was declared as exactly that type (which the default allowlists never permit). Text declared as
 * {@code text/plain}, {@code text/markdown} or {@code text/csv} is also read whole for markup a browser
 * or a Markdown renderer would run (see {@link #activeMarkup}), since Tika calls HTML without a
 * doctype or root element plain text.
 */
final class ContentSniffer {

    /** How many leading bytes detection looks at. */
    static final int HEAD_BYTES = 64 * 1024;

    private static final Tika TIKA = new Tika();
    private static final MediaTypeRegistry REGISTRY = MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();
    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "application/javascript", "text/javascript", "application/ecmascript", "application/x-sh",
            "application/x-csh", "text/x-python", "text/x-perl", "text/x-php", "application/x-httpd-php",
            "application/x-bat", "application/x-msdownload", "application/x-executable", "application/x-elf",
            "application/x-sharedlib", "application/x-mach-o", "application/x-mach-o-executable",
            "application/java-archive", "application/java-vm", "application/x-java-jnlp-file", "application/xml",
            "text/xml", "application/x-shockwave-flash");

    /** Declared types that are plain text to whoever renders them, so they must not carry live markup. */
    private static final Set<String> PLAIN_TEXT = Set.of("text/plain", "text/markdown", "text/csv", "text/x-web-markdown");
    /**
     * Markup that runs or makes a document: a {@code script}, {@code html}, {@code svg}, {@code iframe},
     * {@code object} or {@code embed} tag (opening or closing), an event-handler attribute
     * ({@code on...=}) or a {@code javascript:} URL in a tag. A tag the browser would merely format
     * ({@code <b>}, {@code <br>}) or a {@code <} in prose is text.
     */
    private static final Pattern ACTIVE_MARKUP = Pattern.compile(
            "</?(script|html|svg|iframe|object|embed)(?=[\\s/>])"
                    + "|<[a-z][a-z0-9:-]*(?=[\\s/])[^<>]{0,2000}?[\\s/\"'](on[a-z]+)\\s*="
                    + "|<[a-z][a-z0-9:-]*\\s[^<>]{0,2000}?=\\s*[\"']?\\s*(javascript):",
            Pattern.CASE_INSENSITIVE);
    /** Characters carried from one chunk to the next so markup split across chunks is still seen. */
    private static final int OVERLAP = 2_100;

    private ContentSniffer() {
    }

    /** The detected type, e.g. {@code image/png}, without parameters. */
    static String detect(byte[] head) throws IOException {
        return MediaType.parse(TIKA.detect(new ByteArrayInputStream(head))).getBaseType().toString();
    }

    /** Whether bytes detected as {@code detected} may be stored as {@code declared}. */
    static boolean matches(String declared, String detected) {
        MediaType want = REGISTRY.normalize(MediaType.parse(declared.toLowerCase(Locale.ROOT))).getBaseType();
        MediaType got = REGISTRY.normalize(MediaType.parse(detected.toLowerCase(Locale.ROOT))).getBaseType();
        if (want.equals(got)) {
            return true;
        }
        if (isActive(got)) {
            return false;
        }
        // e.g. a CSV or JSON file is detected as text/plain; a specific subtype of what was declared is fine too
        if (got.equals(MediaType.TEXT_PLAIN) && (want.getType().equals("text") || want.getSubtype().endsWith("json"))) {
            return true;
        }
        return REGISTRY.isInstanceOf(got, want);
    }

    /**
     * For text declared as plain text, Markdown or CSV: the first piece of live markup in it (e.g.
     * {@code <script}, {@code onerror=}), read through to the end; empty when there is none or the
     * declared type is another one. NUL bytes are dropped first, so UTF-16 text is read as well.
     */
    static Optional<String> activeMarkup(String declared, InputStream in) throws IOException {
        MediaType want = MediaType.parse(declared.toLowerCase(Locale.ROOT)).getBaseType();
        if (!PLAIN_TEXT.contains(want.toString()) && !PLAIN_TEXT.contains(REGISTRY.normalize(want).toString())) {
            return Optional.empty();
        }
        String carry = "";
        byte[] chunk;
        while ((chunk = in.readNBytes(HEAD_BYTES)).length > 0) {
            // ISO-8859-1 keeps every byte one char: the markup is ASCII, whatever the text's encoding
            String text = carry + new String(chunk, StandardCharsets.ISO_8859_1).replace("\0", "");
            Matcher m = ACTIVE_MARKUP.matcher(text);
            if (m.find()) {
                String what = m.group(1) != null ? "<" + m.group(1) : m.group(2) != null ? m.group(2) + "=" : "javascript:";
                return Optional.of(what.toLowerCase(Locale.ROOT));
            }
            carry = text.substring(Math.max(0, text.length() - OVERLAP));
        }
        return Optional.empty();
    }

    private static boolean isActive(MediaType type) {
        for (MediaType t = type; t != null; t = REGISTRY.getSupertype(t)) {
            if (ACTIVE.contains(t.getBaseType().toString())) {
                return true;
            }
        }
        return false;
    }
}
