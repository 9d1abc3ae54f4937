package io.aimp.gateway.media;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Image dimensions read from the header alone (PNG IHDR, GIF screen descriptor, JPEG SOF, WebP VP8,
 * VP8L and VP8X), so an oversized image is refused before anything decodes it. Reads a bounded number
 * of bytes; JPEG segments before the frame header are skipped, not buffered.
 */
final class ImageHeaders {

    record Dimensions(long width, long height) {
        long pixels() {
            return width * height;
        }
    }

    /** Thrown for a header that is truncated or inconsistent (e.g. a PNG IHDR with a bad CRC). */
    static final class BadHeader extends IOException {
        BadHeader(String message) {
            super(message);
        }
    }

    private ImageHeaders() {
    }

    /** The dimensions, or empty when the format is not one of PNG, GIF, JPEG or WebP. */
    static Optional<Dimensions> read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] sig = new byte[12];
        int n = in.readNBytes(sig, 0, 12);
        try {
            if (n >= 8 && sig[0] == (byte) 0x89 && sig[1] == 'P' && sig[2] == 'N' && sig[3] == 'G') {
                return Optional.of(png(sig, in));
            }
            if (n >= 10 && sig[0] == 'G' && sig[1] == 'I' && sig[2] == 'F') {
                return Optional.of(new Dimensions(le16(sig, 6), le16(sig, 8)));
            }
            if (n >= 3 && (sig[0] & 0xFF) == 0xFF && (sig[1] & 0xFF) == 0xD8 && (sig[2] & 0xFF) == 0xFF) {
                return Optional.of(jpeg(sig, n, in));
            }
            if (n == 12 && sig[0] == 'R' && sig[1] == 'I' && sig[2] == 'F' && sig[3] == 'F'
                    && sig[8] == 'W' && sig[9] == 'E' && sig[10] == 'B' && sig[11] == 'P') {
                return Optional.of(webp(in));
            }
        } catch (EOFException e) {
            throw new BadHeader("the image header is truncated");
        }
        return Optional.empty();
    }

    private static Dimensions png(byte[] sig, DataInputStream in) throws IOException {
        // signature (8) + IHDR length (4) already read; then "IHDR", 13 bytes of data, CRC
        byte[] chunk = new byte[17];
        in.readFully(chunk);
        if (chunk[0] != 'I' || chunk[1] != 'H' || chunk[2] != 'D' || chunk[3] != 'R' || be32(sig, 8) != 13) {
            throw new BadHeader("a PNG must start with its IHDR chunk");
        }
        CRC32 crc = new CRC32();
        crc.update(chunk, 0, 17);
        if (crc.getValue() != (in.readInt() & 0xFFFFFFFFL)) {
            throw new BadHeader("the PNG IHDR chunk fails its CRC");
        }
        return new Dimensions(be32(chunk, 4), be32(chunk, 8));
    }

    private static Dimensions jpeg(byte[] sig, int n, DataInputStream in) throws IOException {
        // the 12 bytes already read hold SOI and the start of the first segment: replay them
        InputStream replay = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(sig, 2, n - 2), in);
        DataInputStream d = new DataInputStream(replay);
        for (int segments = 0; segments < 10_000; segments++) {
            int b = d.readUnsignedByte();
            if (b != 0xFF) {
                throw new BadHeader("the JPEG marker sequence is broken");
            }
            int marker = d.readUnsignedByte();
            while (marker == 0xFF) {
                marker = d.readUnsignedByte();
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new BadHeader("the JPEG has no frame header before its image data");
            }
            int length = d.readUnsignedShort();
            if (length < 2) {
                throw new BadHeader("a JPEG segment has an impossible length");
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                d.readUnsignedByte(); // precision
                int height = d.readUnsignedShort();
                int width = d.readUnsignedShort();
                return new Dimensions(width, height);
            }
            d.skipNBytes(length - 2);
        }
        throw new BadHeader("the JPEG has too many segments before its frame header");
    }

    private static Dimensions webp(DataInputStream in) throws IOException {
        byte[] head = new byte[8];
        in.readFully(head);
        String fourcc = new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = new byte[10];
        in.readFully(data);
        return switch (fourcc) {
            case "VP8 " -> {
                // frame tag (3), start code 9d 01 2a, then 14-bit width and height
                if ((data[3] & 0xFF) != 0x9D || (data[4] & 0xFF) != 0x01 || (data[5] & 0xFF) != 0x2A) {
                    throw new BadHeader("the WebP VP8 frame has no start code");
                }
                yield new Dimensions(le16(data, 6) & 0x3FFF, le16(data, 8) & 0x3FFF);
            }
            case "VP8L" -> {
                if ((data[0] & 0xFF) != 0x2F) {
                    throw new BadHeader("the WebP VP8L stream has no signature");
                }
                long bits = (data[1] & 0xFFL) | (data[2] & 0xFFL) << 8 | (data[3] & 0xFFL) << 16 | (data[4] & 0xFFL) << 24;
                yield new Dimensions((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
            }
            case "VP8X" -> new Dimensions(le24(data, 4) + 1, le24(data, 7) + 1);
            default -> throw new BadHeader("the WebP has an unknown first chunk");
        };
    }

    private static long be32(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8 | (b[off + 3] & 0xFFL);
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long le24(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16;
    }
}
