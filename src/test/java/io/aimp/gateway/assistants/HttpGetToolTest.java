package io.aimp.gateway.assistants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http_get refuses internal addresses and hosts off the allowlist before connecting anywhere. */
class HttpGetToolTest {

    ServerSocket listener;
    final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void should_refuse_internal_addresses_and_unlisted_hosts_without_connecting() {
        int port = listener.getLocalPort();
        // every internal name and literal is on the allowlist: the address rules alone must refuse them
        HttpGetTool tool = new HttpGetTool(List.of("127.0.0.1", "[::1]", "::1", "169.254.169.254", "10.0.0.1",
                "2130706433", "localhost", "metadata.test"), Duration.ofSeconds(2), 1024,
                host -> host.equals("metadata.test") ? List.of(address("169.254.169.254")) : resolve(host));
        for (String url : List.of(
                "http://127.0.0.1:" + port + "/",
                "http://[::1]:" + port + "/",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/",
                "http://2130706433:" + port + "/",
                "http://0x7f.1:" + port + "/",
                "http://localhost:" + port + "/",
                "http://metadata.test/",
                "http://not-allowed.example/",
                "file:///etc/passwd",
                "http://user:pw@localhost:" + port + "/")) {
            assertThatThrownBy(() -> tool.get(url)).as(url).isInstanceOf(HttpGetTool.Refused.class);
        }
        assertThat(connections.get()).as("connections the listener saw").isZero();
    }

    @Test
    void should_fetch_an_allowed_public_host_with_a_client_built_on_first_use() {
        // the check passes (allowed, resolves to a public address); the fetch itself cannot reach a .invalid name
        HttpGetTool tool = new HttpGetTool(List.of("fetch.invalid"), Duration.ofSeconds(2), 1024,
                host -> List.of(address("93.184.216.34")));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> tool.get("http://fetch.invalid/page")).isInstanceOf(HttpGetTool.Refused.class)
                    .hasMessageStartingWith("could not fetch fetch.invalid: ");
        }
    }

    @Test
    void should_classify_addresses() {
        for (String internal : List.of("127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1")) {
            assertThat(HttpGetTool.isPublic(address(internal))).as(internal).isFalse();
        }
        for (String external : List.of("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111")) {
            assertThat(HttpGetTool.isPublic(address(external))).as(external).isTrue();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (IOException e) {
            return List.of();
        }
    }
}
