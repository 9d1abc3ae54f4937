package io.aimp.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider HTTP/1.1 client against a scripted loopback server that answers each request with the
 * next raw answer from a queue: framing (length, chunked, to end of stream), keep-alive reuse, a
 * server that closed an idle connection, deadlines, and the bounds on what it reads and sends.
 */
class Http1ClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScriptedServer server = new ScriptedServer();
    private Http1Client client;

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private Http1Client client() {
        client = new Http1Client(URI.create("http://127.0.0.1:" + server.port() + "/v1"), Duration.ofSeconds(2));
        return client;
    }

    private static List<Map.Entry<String, String>> headers() {
        return List.of(Map.entry("Content-Type", "application/json"), Map.entry("Authorization", "Bearer k"));
    }

    @Test
    void should_send_the_request_under_the_base_path_and_read_a_content_length_answer() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-Thing: a\r\n\r\n{\"ok\":true}");
        Http1Client.Response r = client().post("/chat/completions", headers(), "{\"a\":1}".getBytes(), TIMEOUT);
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(r.headers().firstValue("x-thing")).contains("a");
        String request = server.requests.get(0);
        assertThat(request).startsWith("POST /v1/chat/completions HTTP/1.1\r\n");
        assertThat(request).contains("Host: 127.0.0.1:" + server.port() + "\r\n", "Authorization: Bearer k\r\n",
                "Content-Length: 7\r\n");
        assertThat(request).endsWith("\r\n\r\n{\"a\":1}");
    }

    @Test
    void should_read_a_chunked_answer_with_extensions_and_trailers() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
        Http1Client.Response r = client().post("/x", headers(), new byte[0], TIMEOUT);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void should_reuse_a_kept_alive_connection() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        Http1Client c = client();
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("a");
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("b");
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void should_open_a_new_connection_after_connection_close_and_after_an_answer_read_to_the_end() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na");
        server.answer("HTTP/1.0 200 OK\r\n\r\nread to the end");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc");
        Http1Client c = client();
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("a");
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("read to the end");
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("c");
        assertThat(server.connections.get()).isEqualTo(3);
    }

    @Test
    void should_send_again_on_a_new_connection_when_the_server_closed_the_idle_one() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        server.answer(ScriptedServer.CLOSE_WITHOUT_ANSWER);
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        Http1Client c = client();
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("a");
        assertThat(new String(c.post("/x", headers(), new byte[0], TIMEOUT).body())).isEqualTo("b");
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void should_not_send_again_when_a_new_connection_closes_without_an_answer() {
        server.answer(ScriptedServer.CLOSE_WITHOUT_ANSWER);
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        assertThatThrownBy(() -> client().post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(IOException.class);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void should_skip_interim_answers() throws Exception {
        server.answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        Http1Client.Response r = client().post("/x", headers(), new byte[0], TIMEOUT);
        assertThat(r.status()).isEqualTo(201);
        assertThat(new String(r.body())).isEqualTo("ok");
    }

    @Test
    void should_time_out_within_the_deadline_when_the_answer_never_completes() {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
        long start = System.nanoTime();
        assertThatThrownBy(() -> client().post("/x", headers(), new byte[0], Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void should_refuse_answers_that_are_too_large_or_not_http() {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: " + (Http1Client.MAX_BODY + 1) + "\r\n\r\n");
        assertThatThrownBy(() -> client().post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than");
        server.answer("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n");
        assertThatThrownBy(() -> client.post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(IOException.class);
        server.answer("SSH-2.0-OpenSSH\r\n\r\n");
        assertThatThrownBy(() -> client.post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP/1.x");
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThatThrownBy(() -> client.post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(IOException.class)
                .hasMessageContaining("chunk");
    }

    @Test
    void should_refuse_header_values_that_would_split_the_request() {
        Http1Client c = client();
        assertThatThrownBy(() -> c.post("/x", List.of(Map.entry("X-A", "v\r\nX-Injected: 1")), new byte[0], TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.post("/x\r\nX: 1", headers(), new byte[0], TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.post("/x", List.of(Map.entry("Bad Name", "v")), new byte[0], TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests).isEmpty();
    }

    @Test
    void should_fail_to_connect_to_a_closed_port_with_a_connect_error() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Http1Client c = new Http1Client(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(1));
        assertThatThrownBy(() -> c.post("/x", headers(), new byte[0], TIMEOUT)).isInstanceOf(java.net.ConnectException.class);
        c.close();
    }

    @Test
    void should_refuse_a_base_url_that_is_not_http() {
        assertThatThrownBy(() -> new Http1Client(URI.create("ftp://example.com"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Accepts connections on a free loopback port; for each request it reads (head + Content-Length
     * body) it writes the next scripted answer. {@link #CLOSE_WITHOUT_ANSWER} closes the connection instead.
     */
    static final class ScriptedServer implements AutoCloseable {
        static final String CLOSE_WITHOUT_ANSWER = "<close>";

        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread acceptor;

        ScriptedServer() {
            try {
                socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        void answer(String raw) {
            answers.add(raw);
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(10_000);
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    String answer = answers.poll(5, TimeUnit.SECONDS);
                    if (answer == null || answer.equals(CLOSE_WITHOUT_ANSWER)) {
                        return;
                    }
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (answer.contains("Connection: close") || answer.startsWith("HTTP/1.0")) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                return null;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            return text + new String(body, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
