package io.aimp.gateway.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides from the bytes themselves (Apache Tika's magic detection, never the filename) whether an
 * upload is what it declared. Active content — executables, scripts, HTML, SVG — is refused unless it
 * was declared as exactly that type (which the default allowlists never permit).
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

    private static boolean isActive(MediaType type) {
        for (MediaType t = type; t != null; t = REGISTRY.getSupertype(t)) {
            if (ACTIVE.contains(t.getBaseType().toString())) {
                return true;
            }
        }
        return false;
    }
}
