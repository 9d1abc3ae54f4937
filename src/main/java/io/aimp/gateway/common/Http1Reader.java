package io.aimp.gateway.common;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 answers (RFC 9112) from one connection, for every client of ours that speaks HTTP/1.1
 * on a socket: the status line and header fields (interim 1xx answers skipped), then the body framed by
 * chunked coding, {@code Content-Length} or the end of the stream. It only reads: writing the request,
 * pooling and what to do with the connection afterwards belong to the client.
 * <p>
 * Bounded by its {@link Limits} and one deadline per call: before every blocking read the socket's read
 * timeout is set to the time left, and a read once the deadline has passed throws
 * {@link SocketTimeoutException}. A server that drips bytes therefore cannot stretch an answer past the
 * deadline. Not thread-safe: one reader per connection, kept for the connection's life so that a
 * persistent connection reuses its buffer.
 */
public final class Http1Reader {

    /** Sets the read timeout of the socket under the stream, in milliseconds ({@code socket::setSoTimeout}). */
    @FunctionalInterface
    public interface ReadTimeout {
        void set(int millis) throws IOException;
    }

    /**
     * What one answer may hold.
     *
     * @param maxHead   bytes of status lines and header fields, interim answers included (and of the trailers)
     * @param maxFields header fields in the head (and in the trailers)
     * @param maxBody   body bytes kept
     * @param truncate  true: a longer body is cut at {@code maxBody} and flagged {@link Body#truncated()};
     *                  false: it is refused with an {@link IOException} as soon as it is known to be longer
     */
    public record Limits(int maxHead, int maxFields, int maxBody, boolean truncate) {
        public Limits {
            if (maxHead <= 0 || maxFields < 0 || maxBody < 0) {
                throw new IllegalArgumentException("invalid HTTP answer limits");
            }
        }
    }

    /**
     * A final answer's head.
     *
     * @param http10 whether the status line said HTTP/1.0
     * @param fields header fields by lower-case name, values in arrival order; the reader keeps no reference
     */
    public record Head(int status, boolean http10, Map<String, List<String>> fields) {

        public String first(String name) {
            List<String> values = fields.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        /** Whether the server keeps the connection open after this answer (RFC 9112 §9.3). */
        public boolean persistent() {
            String connection = first("connection");
            if (connection != null) {
                String v = connection.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    return false;
                }
                if (v.contains("keep-alive")) {
                    return true;
                }
            }
            return !http10;
        }
    }

    /**
     * A body as kept.
     *
     * @param truncated   more was sent (or announced) than {@link Limits#maxBody()}; reading stopped at the cap
     * @param endedByClose the body ran to the end of the stream, so the connection cannot carry another answer
     */
    public record Body(byte[] bytes, boolean truncated, boolean endedByClose) {
    }

    private static final Body EMPTY = new Body(new byte[0], false, false);
    private static final int MAX_CHUNK_LINE = 1024;

    private final InputStream in;
    private final ReadTimeout timeout;
    private final Limits limits;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long deadline;
    private long received;
    /** Bytes the line being read may still take, and which limit that is. */
    private int budget;
    private Part part;

    private enum Part { HEAD, TRAILERS, CHUNK_SIZE, CHUNK_END }

    public Http1Reader(InputStream in, ReadTimeout timeout, Limits limits, int bufferSize) {
        this.in = in;
        this.timeout = timeout;
        this.limits = limits;
        this.buf = new byte[bufferSize];
    }

    /** Bytes that arrived on the stream so far: a client tells by it whether a failed answer had begun. */
    public long received() {
        return received;
    }

    /**
     * Reads the next final answer's head, skipping interim (1xx) answers.
     *
     * @throws EOFException           when the stream ends before or within the head
     * @throws SocketTimeoutException when the deadline passes first
     * @throws IOException            when the head is not HTTP/1.x, is over {@link Limits#maxHead()} bytes or
     *                                has more than {@link Limits#maxFields()} fields
     */
    public Head readHead(long deadline) throws IOException {
        this.deadline = deadline;
        budget = limits.maxHead();
        part = Part.HEAD;
        while (true) {
            String line = line();
            if (line == null) {
                throw new EOFException("connection closed before the answer");
            }
            int status = status(line);
            Map<String, List<String>> fields = fields();
            if (status >= 200) {
                return new Head(status, line.startsWith("HTTP/1.0"), fields);
            }
        }
    }

    /**
     * Reads the body that {@code head} announces: none after a HEAD request and for 204 and 304, else
     * chunked (extensions ignored, trailers read and dropped), {@code Content-Length} bytes (every such
     * field must agree), or everything up to the end of the stream.
     *
     * @throws EOFException           when the stream ends within a chunked or fixed-length body
     * @throws SocketTimeoutException when the deadline passes first
     * @throws IOException            when the framing is invalid, or the body is over the cap and the limits
     *                                do not truncate
     */
    public Body readBody(Head head, boolean headRequest, long deadline) throws IOException {
        this.deadline = deadline;
        int status = head.status();
        if (headRequest || status == 204 || status == 304) {
            return EMPTY;
        }
        String te = head.first("transfer-encoding");
        if (te != null) {
            if (!chunkedLast(te)) {
                throw new IOException("unsupported transfer coding");
            }
            return chunked();
        }
        List<String> length = head.fields().get("content-length");
        return length != null ? fixed(length(length)) : toClose();
    }

    private static int status(String line) throws IOException {
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x answer");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new IOException("invalid status");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599) {
            throw new IOException("invalid status");
        }
        return status;
    }

    /**
     * Header fields up to the empty line, within the current budget. A line already whole in the buffer is
     * parsed where it lies (no line string, the name lower-cased in place); a longer one is assembled first.
     */
    private Map<String, List<String>> fields() throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int count = 0;
        while (true) {
            if (pos == lim && !fill()) {
                throw new EOFException("connection closed in the header fields");
            }
            int lf = pos;
            while (lf < lim && buf[lf] != '\n') {
                lf++;
            }
            byte[] b;
            int start;
            int end;
            if (lf < lim) {
                budget -= lf + 1 - pos;
                if (budget < 0) {
                    throw overBudget();
                }
                b = buf;
                start = pos;
                end = lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
                pos = lf + 1;
            } else {
                String line = line();
                if (line == null) {
                    throw new EOFException("connection closed in the header fields");
                }
                b = line.getBytes(StandardCharsets.ISO_8859_1);
                start = 0;
                end = b.length;
            }
            if (end == start) {
                return fields;
            }
            if (++count > limits.maxFields()) {
                throw new IOException("more than " + limits.maxFields() + " header fields");
            }
            int colon = start;
            while (colon < end && b[colon] != ':') {
                colon++;
            }
            if (colon == start || colon == end) {
                throw new IOException("malformed header field");
            }
            String name = lowerCaseTrimmed(b, start, colon);
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(trimmed(b, colon + 1, end));
        }
    }

    /** ISO-8859-1 text of {@code b[from, to)} without leading and trailing bytes up to space (as {@link String#trim()}). */
    private static String trimmed(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xFF) <= ' ') {
            from++;
        }
        while (to > from && (b[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** {@link #trimmed} lower-cased as {@code toLowerCase(Locale.ROOT)} does ISO-8859-1, in place. */
    private static String lowerCaseTrimmed(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
                b[i] = (byte) (c + 32);
            }
        }
        return trimmed(b, from, to);
    }

    /** Whether the last transfer coding listed is chunked (the only one a response may end with here). */
    private static boolean chunkedLast(String te) {
        int comma = te.lastIndexOf(',');
        return te.substring(comma + 1).trim().equalsIgnoreCase("chunked");
    }

    private static long length(List<String> values) throws IOException {
        long n = -1;
        for (String v : values) {
            long parsed = digits(v, 10, 18);
            if (parsed < 0 || (n >= 0 && parsed != n)) {
                throw new IOException("invalid content-length");
            }
            n = parsed;
        }
        return n;
    }

    /** A non-empty run of at most {@code max} ASCII digits of {@code radix} (10 or 16), or -1. */
    private static long digits(String s, int radix, int max) {
        if (s.isEmpty() || s.length() > max) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0'
                    : radix == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : radix == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            n = n * radix + d;
        }
        return n;
    }

    private IOException overBudget() {
        return new IOException(switch (part) {
            case HEAD -> "answer head larger than " + limits.maxHead() + " bytes";
            case TRAILERS -> "trailers larger than " + limits.maxHead() + " bytes";
            case CHUNK_SIZE -> "chunk size line too long";
            case CHUNK_END -> "malformed chunk";
        });
    }

    private IOException tooLarge() {
        return new IOException("answer larger than " + limits.maxBody() + " bytes");
    }

    private Body fixed(long length) throws IOException {
        if (length > limits.maxBody()) {
            if (!limits.truncate()) {
                throw tooLarge();
            }
            byte[] kept = new byte[limits.maxBody()];
            readFully(kept, 0, kept.length);
            return new Body(kept, true, false);
        }
        byte[] body = new byte[(int) length];
        readFully(body, 0, body.length);
        return new Body(body, false, false);
    }

    private Body chunked() throws IOException {
        byte[] out = EMPTY.bytes();
        int size = 0;
        while (true) {
            budget = MAX_CHUNK_LINE;
            part = Part.CHUNK_SIZE;
            String line = line();
            if (line == null) {
                throw new EOFException("connection closed in a chunk");
            }
            int semi = line.indexOf(';');
            long chunk = digits((semi >= 0 ? line.substring(0, semi) : line).trim(), 16, 15);
            if (chunk < 0) {
                throw new IOException("invalid chunk size");
            }
            if (chunk == 0) {
                budget = limits.maxHead();
                part = Part.TRAILERS;
                fields();
                return new Body(size == out.length ? out : Arrays.copyOf(out, size), false, false);
            }
            int room = limits.maxBody() - size;
            if (chunk > room) {
                if (!limits.truncate()) {
                    throw tooLarge();
                }
                out = grow(out, limits.maxBody());
                readFully(out, size, room);
                return new Body(out, true, false);
            }
            out = grow(out, size + (int) chunk);
            readFully(out, size, (int) chunk);
            size += (int) chunk;
            budget = 2;
            part = Part.CHUNK_END;
            String end = line();
            if (end == null || !end.isEmpty()) {
                throw new IOException("malformed chunk");
            }
        }
    }

    private Body toClose() throws IOException {
        int max = limits.maxBody();
        byte[] out = new byte[Math.min(max, buf.length)];
        int size = 0;
        while (true) {
            if (size == max) {
                boolean more = pos < lim || fill();
                if (more && !limits.truncate()) {
                    throw tooLarge();
                }
                return new Body(out, more, true);
            }
            out = grow(out, size + 1);
            int n = read(out, size, out.length - size);
            if (n < 0) {
                return new Body(size == out.length ? out : Arrays.copyOf(out, size), false, true);
            }
            size += n;
        }
    }

    /** {@code out}, or a copy with room for at least {@code need} bytes (doubling, up to the body cap). */
    private byte[] grow(byte[] out, int need) {
        if (need <= out.length) {
            return out;
        }
        int capacity = (int) Math.min(limits.maxBody(), Math.max(need, Math.max(256, 2L * out.length)));
        return Arrays.copyOf(out, capacity);
    }

    private void readFully(byte[] dst, int off, int len) throws IOException {
        int end = off + len;
        while (off < end) {
            int n = read(dst, off, end - off);
            if (n < 0) {
                throw new EOFException("connection closed in the body");
            }
            off += n;
        }
    }

    /** Reads up to {@code len} bytes (at least one), or -1 at the end of the stream. */
    private int read(byte[] dst, int off, int len) throws IOException {
        if (pos == lim) {
            if (len >= buf.length) {
                arm();
                int n = in.read(dst, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /**
     * A CRLF- (or LF-) terminated ISO-8859-1 line without its terminator, counted against the budget; null at
     * the end of the stream before any byte of it.
     */
    private String line() throws IOException {
        StringBuilder sb = null;
        while (true) {
            if (pos == lim && !fill()) {
                return sb == null ? null : sb.toString();
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            int end = pos;
            boolean complete = pos < lim;
            if (complete) {
                pos++; // the LF
            }
            budget -= pos - start;
            if (budget < 0) {
                throw overBudget();
            }
            if (complete && sb == null) {
                int e = end > start && buf[end - 1] == '\r' ? end - 1 : end;
                return new String(buf, start, e - start, StandardCharsets.ISO_8859_1);
            }
            if (sb == null) {
                sb = new StringBuilder(128);
            }
            sb.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
            if (complete) {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
        }
    }

    private boolean fill() throws IOException {
        arm();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        lim = n;
        received += n;
        return true;
    }

    /** The next blocking read waits at most until the deadline. */
    private void arm() throws IOException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        timeout.set((int) Math.min(ms, Integer.MAX_VALUE));
    }
}
