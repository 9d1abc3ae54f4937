package io.aimp.gateway.egress;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP/1.1 exchange on a connected socket ({@code Connection: close}, no pooling): writes the
 * request, reads the answer within the deadline. Status line and headers are capped at
 * {@value #MAX_HEAD} bytes; of the body at most {@code maxBytes} are kept and reading stops at the
 * first byte beyond them.
 */
final class Http11 {

    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_FIELDS = 200;
    /** Header fields the client owns; a caller may not set them. */
    private static final Set<String> OWN = Set.of("host", "content-length", "transfer-encoding", "connection",
            "upgrade", "expect", "te", "trailer", "keep-alive", "proxy-connection", "proxy-authorization");

    /** A body cut at the cap, and whether more was sent. */
    record Body(byte[] bytes, boolean truncated) {
    }

    record Answer(int status, Map<String, List<String>> headers, Body body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final long deadline;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;

    private Http11(Socket socket, long deadline) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = deadline;
    }

    /** Refuses header names and values that could split the request or override the client's own fields. */
    static void checkHeaders(Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':')) {
                throw EgressException.refused("'" + name + "' is not a valid header name");
            }
            if (OWN.contains(name.toLowerCase(Locale.ROOT))) {
                throw EgressException.refused("the header " + name + " is set by the gateway");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw EgressException.refused("the value of header " + name + " is not valid");
            }
        });
    }

    static Answer exchange(Socket socket, Target target, String method, Map<String, String> headers, byte[] body,
                           int maxBytes, long deadline) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target.requestTarget()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.hostHeader()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (headers.keySet().stream().noneMatch("user-agent"::equalsIgnoreCase)) {
            head.append("User-Agent: aimp-gateway\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        Http11 wire = new Http11(socket, deadline);
        wire.arm();
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return wire.read(method.equals("HEAD"), maxBytes);
    }

    private Answer read(boolean head, int maxBytes) throws IOException {
        int[] budget = {MAX_HEAD};
        int status;
        Map<String, List<String>> fields;
        do {
            status = parseStatus(line(budget));
            fields = fields(budget);
        } while (status < 200);
        String te = first(fields, "transfer-encoding");
        String length = first(fields, "content-length");
        Body body;
        if (head || status == 204 || status == 304) {
            body = new Body(new byte[0], false);
        } else if (te != null) {
            if (!te.toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
                throw new IOException("unsupported transfer coding");
            }
            body = chunked(maxBytes);
        } else if (length != null) {
            body = fixed(parseLength(fields.get("content-length")), maxBytes);
        } else {
            body = fixed(Long.MAX_VALUE, maxBytes);
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        fields.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return new Answer(status, java.util.Collections.unmodifiableMap(frozen), body);
    }

    private static int parseStatus(String line) throws IOException {
        if (line == null) {
            throw new EOFException("closed before the answer");
        }
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x answer");
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status >= 100 && status <= 599) {
                return status;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("invalid status");
    }

    private Map<String, List<String>> fields(int[] budget) throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (int count = 0; ; count++) {
            String line = line(budget);
            if (line == null) {
                throw new EOFException("closed in the headers");
            }
            if (line.isEmpty()) {
                return fields;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || count >= MAX_FIELDS) {
                throw new IOException("malformed or too many header fields");
            }
            fields.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).strip());
        }
    }

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static long parseLength(List<String> values) throws IOException {
        long n = -1;
        for (String v : values) {
            try {
                long parsed = Long.parseLong(v);
                if (parsed < 0 || (n >= 0 && parsed != n)) {
                    throw new IOException("invalid content-length");
                }
                n = parsed;
            } catch (NumberFormatException e) {
                throw new IOException("invalid content-length");
            }
        }
        return n;
    }

    /** Up to {@code length} bytes (or to the end of the stream), keeping {@code maxBytes}. */
    private Body fixed(long length, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.min(length, maxBytes + 1L), 8192));
        boolean toEnd = length == Long.MAX_VALUE;
        long left = length;
        while (left > 0) {
            if (out.size() > maxBytes) {
                return new Body(java.util.Arrays.copyOf(out.toByteArray(), maxBytes), true);
            }
            int n = read((int) Math.min(left, maxBytes + 1L - out.size()), out);
            if (n < 0) {
                if (toEnd) {
                    break;
                }
                throw new EOFException("closed in the body");
            }
            left -= n;
        }
        if (out.size() > maxBytes) {
            return new Body(java.util.Arrays.copyOf(out.toByteArray(), maxBytes), true);
        }
        return new Body(out.toByteArray(), false);
    }

    private Body chunked(int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        while (true) {
            String sizeLine = line(new int[] {1024});
            if (sizeLine == null) {
                throw new EOFException("closed in a chunk");
            }
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid chunk size");
            }
            if (size < 0) {
                throw new IOException("invalid chunk size");
            }
            if (size == 0) {
                fields(new int[] {MAX_HEAD}); // trailers
                return new Body(out.toByteArray(), false);
            }
            Body chunk = fixed(size, maxBytes - out.size());
            out.write(chunk.bytes());
            if (chunk.truncated()) {
                return new Body(out.toByteArray(), true);
            }
            String end = line(new int[] {2});
            if (end == null || !end.isEmpty()) {
                throw new IOException("malformed chunk");
            }
        }
    }

    /** Reads at most {@code len} bytes (at least one) into {@code out}; -1 at the end of the stream. */
    private int read(int len, ByteArrayOutputStream out) throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        out.write(buf, pos, n);
        pos += n;
        return n;
    }

    /** A CRLF- or LF-terminated line without its terminator, counted against {@code budget[0]}; null at the end. */
    private String line(int[] budget) throws IOException {
        ByteArrayOutputStream sb = new ByteArrayOutputStream(128);
        while (true) {
            if (pos == lim && !fill()) {
                return sb.size() == 0 ? null : sb.toString(StandardCharsets.ISO_8859_1);
            }
            byte b = buf[pos++];
            if (--budget[0] < 0) {
                throw new IOException("answer head too large");
            }
            if (b == '\n') {
                String s = sb.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            sb.write(b);
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
        return true;
    }

    /** The next blocking read waits at most until the deadline. */
    private void arm() throws IOException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(ms, Integer.MAX_VALUE));
    }
}
