package io.aimp.gateway.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ServerSocketFactory;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;

/**
 * A server on one loopback address that reads each request head and answers what {@code answer}
 * makes of it (raw bytes, so tests control framing), counting connections and keeping the heads and
 * the TLS server names it saw. Bound in count: at most {@value #MAX_CONNECTIONS} connections.
 */
final class LoopbackServer implements AutoCloseable {

    static final int MAX_CONNECTIONS = 200;

    /** What the server does with one connection once it has read the request head. */
    interface Answer {
        void write(String head, OutputStream out) throws IOException;
    }

    final AtomicInteger connections = new AtomicInteger();
    final List<String> heads = new CopyOnWriteArrayList<>();
    final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;

    private LoopbackServer(ServerSocket socket, Answer answer) {
        this.socket = socket;
        Thread.ofVirtual().name("loopback-" + socket.getLocalSocketAddress()).start(() -> serve(answer));
    }

    /** A server on {@code address}, port {@code port} (0: any free one). */
    static LoopbackServer start(ServerSocketFactory factory, String address, int port, Answer answer) throws IOException {
        ServerSocket s = factory.createServerSocket();
        try {
            s.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new LoopbackServer(s, answer);
    }

    /**
     * Two plain servers on the same port: the first on {@code a}, the second on {@code b}, so one
     * URL reaches either, depending only on the address the client connects to.
     */
    static LoopbackServer[] pair(String a, Answer onA, String b, Answer onB) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            LoopbackServer first = start(ServerSocketFactory.getDefault(), a, 0, onA);
            try {
                return new LoopbackServer[] {first, start(ServerSocketFactory.getDefault(), b, first.port(), onB)};
            } catch (BindException e) {
                first.close(); // the port is taken on b: try another
            }
        }
        throw new BindException("no port free on both " + a + " and " + b);
    }

    static Answer ok(String body) {
        return (head, out) -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    /** Answers by request path. */
    static Answer byPath(Function<String, Answer> route) {
        return (head, out) -> {
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            route.apply(path).write(head, out);
        };
    }

    static Answer redirect(int status, String location) {
        return (head, out) -> out.write(("HTTP/1.1 " + status + " Moved\r\nLocation: " + location
                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(Answer answer) {
        for (int i = 0; i < MAX_CONNECTIONS && !socket.isClosed(); i++) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try (s) {
                    s.setSoTimeout(30_000);
                    if (s instanceof SSLSocket ssl) {
                        ssl.startHandshake();
                        ((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames()
                                .forEach(n -> serverNames.add(((SNIHostName) n).getAsciiName()));
                    }
                    String head = readHead(s.getInputStream());
                    heads.add(head);
                    answer.write(head, s.getOutputStream());
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // the client went away (refused certificate, timeout): nothing to answer
                }
            });
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 64 * 1024) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
