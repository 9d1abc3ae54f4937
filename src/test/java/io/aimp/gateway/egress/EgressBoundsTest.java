package io.aimp.gateway.egress;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Time and size bounds of the egress client, against raw answers from a loopback server. */
class EgressBoundsTest {

    final CountDownLatch released = new CountDownLatch(1);
    final List<LoopbackServer> started = new ArrayList<>();
    LoopbackServer server;

    @AfterEach
    void stop() throws IOException {
        released.countDown();
        for (LoopbackServer s : started) {
            s.close();
        }
    }

    private LoopbackServer serve(LoopbackServer.Answer answer) throws IOException {
        server = LoopbackServer.start(ServerSocketFactory.getDefault(), "127.0.0.2", 0, answer);
        started.add(server);
        return server;
    }

    /** A client whose one allowlisted name resolves to 127.0.0.2, let through by the test's address rule. */
    private EgressClient client(String name, Duration timeout, int maxBytes) {
        script(name, List.of(address("127.0.0.2")));
        return new EgressClient(EgressPolicy.of("test.allowed-hosts", List.of(name), 0, timeout, maxBytes)
                .withAddressCheck(EgressClientTest.TEST_RULE));
    }

    private EgressClient.Response fetch(String raw, int maxBytes) throws IOException {
        serve((head, out) -> out.write(raw.getBytes(StandardCharsets.ISO_8859_1)));
        String name = fresh("bounds");
        return client(name, Duration.ofSeconds(10), maxBytes).get("http://" + name + ":" + server.port() + "/", Map.of());
    }

    @Test
    void should_cut_the_body_at_the_cap_whatever_its_framing() throws IOException {
        String big = "a".repeat(1500);
        String small = "b".repeat(500);
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + "c".repeat(600) + "\r\n258\r\n"
                + "d".repeat(600) + "\r\n0\r\n\r\n";

        EgressClient.Response length = fetch("HTTP/1.1 200 OK\r\nContent-Length: 1500\r\n\r\n" + big, 1000);
        assertThat(length.body()).hasSize(1000);
        assertThat(length.truncated()).isTrue();

        EgressClient.Response toEnd = fetch("HTTP/1.0 200 OK\r\n\r\n" + big, 1000);
        assertThat(toEnd.body()).hasSize(1000);
        assertThat(toEnd.truncated()).isTrue();

        EgressClient.Response cut = fetch(chunked, 1000);
        assertThat(new String(cut.body(), StandardCharsets.UTF_8)).isEqualTo("c".repeat(600) + "d".repeat(400));
        assertThat(cut.truncated()).isTrue();

        EgressClient.Response whole = fetch(chunked, 1200);
        assertThat(new String(whole.body(), StandardCharsets.UTF_8)).isEqualTo("c".repeat(600) + "d".repeat(600));
        assertThat(whole.truncated()).isFalse();

        EgressClient.Response under = fetch("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 500\r\n\r\n" + small, 1000);
        assertThat(under.status()).isEqualTo(201);
        assertThat(new String(under.body(), StandardCharsets.UTF_8)).isEqualTo(small);
        assertThat(under.truncated()).isFalse();
    }

    @Test
    void should_fail_on_answers_that_are_not_http_or_have_an_oversized_head() {
        assertThatThrownBy(() -> fetch("SSH-2.0-OpenSSH_9.2\r\n", 1000))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED));
        assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(Http11.MAX_HEAD) + "\r\n\r\n", 1000))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED));
        assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 11\r\n\r\n0123456789", 1000))
                .isInstanceOf(EgressException.class);
    }

    @Test
    void should_end_a_call_at_the_deadline_when_the_server_never_answers() throws IOException {
        serve((head, out) -> await());
        String name = fresh("silent");
        EgressClient client = client(name, Duration.ofMillis(300), 1000);
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.get("http://" + name + ":" + server.port() + "/", Map.of()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED))
                .hasMessageContaining("did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void should_end_a_call_at_the_deadline_when_the_server_drips_its_answer() throws IOException {
        // each byte comes well within the read timeout; only the one deadline ends the call
        serve((head, out) -> drip(out));
        String name = fresh("drip");
        EgressClient client = client(name, Duration.ofMillis(500), 1_000_000);
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.get("http://" + name + ":" + server.port() + "/", Map.of()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void should_end_a_call_at_the_deadline_when_the_server_does_not_read_the_request() throws IOException {
        // a body far larger than the socket buffers: the write blocks until the deadline closes the socket
        serve((head, out) -> await());
        String name = fresh("no-read");
        EgressClient client = client(name, Duration.ofMillis(500), 1000);
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.send("POST", "http://" + name + ":" + server.port() + "/", Map.of(), new byte[64 << 20]))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED))
                .hasMessageContaining("did not answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void should_fail_when_a_name_does_not_resolve_or_nothing_listens() throws IOException {
        String unknown = fresh("unknown");
        EgressClient none = new EgressClient(EgressPolicy.of("test.allowed-hosts", List.of(unknown), 0, Duration.ofSeconds(5), 10));
        assertThatThrownBy(() -> none.get("http://" + unknown + "/", Map.of())).hasMessageContaining("does not resolve");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, address("127.0.0.2"))) {
            closedPort = s.getLocalPort();
        }
        String name = fresh("closed");
        EgressClient client = client(name, Duration.ofSeconds(5), 10);
        assertThatThrownBy(() -> client.get("http://" + name + ":" + closedPort + "/", Map.of()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED))
                .hasMessageContaining("could not connect to " + name);
    }

    private void await() throws IOException {
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drip(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 1000; i++) {
            out.write('x');
            out.flush();
            try {
                if (released.await(20, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
