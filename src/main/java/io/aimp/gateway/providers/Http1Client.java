package io.aimp.gateway.providers;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 to one provider origin, with blocking I/O on the caller's thread and a pool of keep-alive
 * connections. Provider calls run on virtual threads, so a blocking read parks only that thread: no
 * selector thread, no executor hand-offs, no futures per request. The {@link HttpTransport} of every
 * provider adapter: measured against the JDK client and Apache HttpClient 5 in BENCHMARKS.md
 * ("Provider transport"). Bounded everywhere: one deadline covers connect, write and the whole answer; status
 * line and headers are capped at 64 KiB; the body at {@link #MAX_BODY} bytes.
 *
 * <p>A request that fails on a pooled connection before any byte of the answer arrived (the server
 * had closed the idle connection) is sent once more on a new connection; nothing else is retried here.
 */
final class Http1Client implements HttpTransport {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_IDLE = 256;
    private static final long IDLE_NANOS = Duration.ofSeconds(20).toNanos();

    private final boolean tls;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final String basePath;
    private final Duration connectTimeout;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    Http1Client(URI base, Duration connectTimeout) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("base URL must be http or https");
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException("base URL has no host");
        }
        this.tls = scheme.equals("https");
        this.host = base.getHost();
        int defaultPort = tls ? 443 : 80;
        this.port = base.getPort() == -1 ? defaultPort : base.getPort();
        this.hostHeader = port == defaultPort ? host : host + ":" + port;
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Response post(String path, List<Map.Entry<String, String>> headers, byte[] body, Duration timeout)
            throws IOException, TimeoutException {
        byte[] head = requestHead(path, headers, body.length);
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection pooled = takeIdle();
        if (pooled != null) {
            try {
                return exchange(pooled, head, body, deadline);
            } catch (StaleConnection e) {
                // the server closed it while idle; one fresh connection below
            }
        }
        Connection fresh = open(deadline);
        try {
            return exchange(fresh, head, body, deadline);
        } catch (StaleConnection e) {
            throw e.io;
        }
    }

    private Response exchange(Connection c, byte[] head, byte[] body, long deadline)
            throws IOException, TimeoutException {
        boolean answered = false;
        try {
            c.out.write(head);
            c.out.write(body);
            c.out.flush();
            Response response;
            int status;
            Map<String, List<String>> fields;
            boolean keepAlive;
            int[] budget = {MAX_HEAD};
            do {
                c.arm(deadline);
                String statusLine = c.readLine(budget);
                if (statusLine == null) {
                    throw new EOFException("connection closed before the answer");
                }
                answered = true;
                status = parseStatus(statusLine);
                keepAlive = !statusLine.startsWith("HTTP/1.0");
                fields = readFields(c, deadline, budget);
            } while (status >= 100 && status < 200);
            String connection = first(fields, "connection");
            if (connection != null) {
                String v = connection.toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    keepAlive = false;
                } else if (v.contains("keep-alive")) {
                    keepAlive = true;
                }
            }
            byte[] content;
            String te = first(fields, "transfer-encoding");
            String length = first(fields, "content-length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                content = readChunked(c, deadline);
            } else if (length != null) {
                content = readFixed(c, parseLength(length), deadline);
            } else if (status == 204 || status == 304) {
                content = new byte[0];
            } else {
                content = readToEnd(c, deadline);
                keepAlive = false;
            }
            response = new Response(status, HttpHeaders.of(fields, (name, value) -> true), content);
            if (keepAlive && !closed) {
                release(c);
            } else {
                c.close();
            }
            return response;
        } catch (SocketTimeoutException e) {
            c.close();
            throw new TimeoutException("no complete answer within the timeout");
        } catch (IOException e) {
            c.close();
            if (!answered && c.reused) {
                throw new StaleConnection(e);
            }
            throw e;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private byte[] requestHead(String path, List<Map.Entry<String, String>> headers, int contentLength) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("POST ").append(basePath).append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(hostHeader).append("\r\n");
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")
                    || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("connection")) {
                continue;
            }
            checkToken(name);
            checkValue(h.getValue());
            sb.append(name).append(": ").append(h.getValue()).append("\r\n");
        }
        sb.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        checkValue(basePath + path);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void checkToken(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch >= 127 || ch == ':') {
                throw new IllegalArgumentException("invalid header name");
            }
        }
    }

    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\r' || ch == '\n' || ch == 0) {
                throw new IllegalArgumentException("invalid header value or path");
            }
        }
    }

    private static int parseStatus(String line) throws IOException {
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x answer");
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status < 100 || status > 599) {
                throw new IOException("invalid status");
            }
            return status;
        } catch (NumberFormatException e) {
            throw new IOException("invalid status");
        }
    }

    private static Map<String, List<String>> readFields(Connection c, long deadline, int[] budget) throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int count = 0;
        while (true) {
            c.arm(deadline);
            String line = c.readLine(budget);
            if (line == null) {
                throw new EOFException("connection closed in the headers");
            }
            if (line.isEmpty()) {
                return fields;
            }
            if (++count > 200) {
                throw new IOException("too many header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header field");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
        }
    }

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static long parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new IOException("invalid content-length");
            }
            if (n > MAX_BODY) {
                throw new IOException("answer larger than " + MAX_BODY + " bytes");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("invalid content-length");
        }
    }

    private static byte[] readFixed(Connection c, long length, long deadline) throws IOException {
        byte[] body = new byte[(int) length];
        int off = 0;
        while (off < body.length) {
            c.arm(deadline);
            int n = c.read(body, off, body.length - off);
            if (n < 0) {
                throw new EOFException("connection closed in the body");
            }
            off += n;
        }
        return body;
    }

    private static byte[] readChunked(Connection c, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        while (true) {
            c.arm(deadline);
            String sizeLine = c.readLine(new int[] {1024});
            if (sizeLine == null) {
                throw new EOFException("connection closed in a chunk");
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid chunk size");
            }
            if (size < 0 || out.size() + size > MAX_BODY) {
                throw new IOException("answer larger than " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                readFields(c, deadline, new int[] {MAX_HEAD}); // trailers, then the empty line
                return out.toByteArray();
            }
            out.write(readFixed(c, size, deadline));
            c.arm(deadline);
            String end = c.readLine(new int[] {2});
            if (end == null || !end.isEmpty()) {
                throw new IOException("malformed chunk");
            }
        }
    }

    private static byte[] readToEnd(Connection c, long deadline) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] buf = new byte[8192];
        while (true) {
            c.arm(deadline);
            int n = c.read(buf, 0, buf.length);
            if (n < 0) {
                return out.toByteArray();
            }
            if (out.size() + n > MAX_BODY) {
                throw new IOException("answer larger than " + MAX_BODY + " bytes");
            }
            out.write(buf, 0, n);
        }
    }

    private Connection takeIdle() {
        long now = System.nanoTime();
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            if (now - c.idleSince < IDLE_NANOS && !c.socket.isClosed()) {
                c.reused = true;
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(Connection c) {
        c.idleSince = System.nanoTime();
        idle.addFirst(c);
        if (idle.size() > MAX_IDLE) {
            Connection oldest = idle.pollLast();
            if (oldest != null) {
                oldest.close();
            }
        }
        if (closed) {
            closeIdle();
        }
    }

    private Connection open(long deadline) throws IOException, TimeoutException {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            throw new TimeoutException("no time left to connect");
        }
        int timeoutMs = (int) Math.max(1, Math.min(remainingMs, connectTimeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, host, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(timeoutMs);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(socket);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            if (deadline - System.nanoTime() <= 0) {
                throw new TimeoutException("no time left to connect");
            }
            throw new java.net.ConnectException("connect timed out");
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private void closeIdle() {
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** An IOException on a reused connection before the answer began: safe to send again. */
    private static final class StaleConnection extends IOException {
        final IOException io;

        StaleConnection(IOException io) {
            super(io.getMessage(), io);
            this.io = io;
        }
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[16 * 1024];
        int pos;
        int lim;
        long idleSince;
        boolean reused;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        /** The next read waits at most until the deadline. */
        void arm(long deadline) throws IOException {
            long ms = (deadline - System.nanoTime()) / 1_000_000;
            if (ms <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(ms, Integer.MAX_VALUE));
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            lim = n;
            return true;
        }

        /** Reads up to {@code len} bytes (at least one), or -1 at end of stream. */
        int read(byte[] dst, int off, int len) throws IOException {
            if (pos == lim) {
                if (len >= buf.length) {
                    return in.read(dst, off, len);
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
         * A CRLF- (or LF-) terminated ISO-8859-1 line without its terminator, counted against
         * {@code budget[0]}; null at end of stream before any byte.
         */
        String readLine(int[] budget) throws IOException {
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
                budget[0] -= end - start + 1;
                if (budget[0] < 0) {
                    throw new IOException("answer head larger than " + MAX_HEAD + " bytes");
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

        void close() {
            closeQuietly(socket);
        }
    }
}
