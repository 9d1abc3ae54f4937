package io.aimp.gateway.assistants;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.media.MediaService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** The text of an assistant's file: plain text and Markdown as they are, PDF through PDFBox. */
final class FileText {

    static final long MAX_FILE_BYTES = 20L << 20;

    private FileText() {
    }

    static String extract(MediaService media, Principal principal, String mediaRef, int maxChars) {
        MediaService.Content content = media.open(principal, mediaRef);
        String type = content.item().contentType() == null ? "" : content.item().contentType().toLowerCase(Locale.ROOT);
        String name = content.item().filename() == null ? "" : content.item().filename().toLowerCase(Locale.ROOT);
        try (InputStream in = content.stream()) {
            if (type.startsWith("application/pdf") || name.endsWith(".pdf")) {
                if (content.item().sizeBytes() > MAX_FILE_BYTES) {
                    throw unsupported(mediaRef, "is larger than " + (MAX_FILE_BYTES >> 20) + " MB");
                }
                try (PDDocument pdf = Loader.loadPDF(in.readAllBytes())) {
                    PDFTextStripper stripper = new PDFTextStripper();
                    stripper.setEndPage(200);
                    return cut(stripper.getText(pdf), maxChars);
                } catch (IOException e) {
                    throw unsupported(mediaRef, "is not a readable PDF");
                }
            }
            if (type.startsWith("text/") || name.endsWith(".md") || name.endsWith(".markdown") || name.endsWith(".txt")) {
                byte[] bytes = in.readNBytes(Math.max(0, maxChars) * 4 + 4);
                return cut(new String(bytes, StandardCharsets.UTF_8), maxChars);
            }
            throw unsupported(mediaRef, "is neither text, Markdown nor PDF (" + content.item().contentType() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + mediaRef, e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max));
    }

    private static GatewayException unsupported(String ref, String why) {
        return GatewayException.of(ErrorCategory.INVALID_REQUEST, "unsupported_file", "file " + ref + " " + why)
                .status(422).build();
    }
}
