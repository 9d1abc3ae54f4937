package io.aimp.gateway.providers;

import io.aimp.gateway.common.Http1Reader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * line and headers are capped at 64 KiB and 200 fields; a body over {@link #MAX_BODY} bytes is refused. The
 * answer is read by {@link Http1Reader}, one per connection.
 *
 * <p>A request that fails on a pooled connection before any byte of the answer arrived (the server
 * had closed the idle connection) is sent once more on a new connection; nothing else is retried here.
 */
final class Http1Client implements HttpTransport {

    private static final Http1Reader.Limits LIMITS = new Http1Reader.Limits(64 * 1024, 200, MAX_BODY, false);
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
        long before = c.reader.received();
        try {
            c.out.write(head);
            c.out.write(body);
            c.out.flush();
            Http1Reader.Head answer = c.reader.readHead(deadline);
            Http1Reader.Body content = c.reader.readBody(answer, false, deadline);
            Response response = new Response(answer.status(), HttpHeaders.of(answer.fields(), (name, value) -> true),
                    content.bytes());
            if (answer.persistent() && !content.endedByClose() && !closed) {
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
            if (c.reused && c.reader.received() == before) {
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
        final OutputStream out;
        final Http1Reader reader;
        long idleSince;
        boolean reused;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
            this.reader = new Http1Reader(socket.getInputStream(), socket::setSoTimeout, LIMITS, 16 * 1024);
        }

        void close() {
            closeQuietly(socket);
        }
    }
}
