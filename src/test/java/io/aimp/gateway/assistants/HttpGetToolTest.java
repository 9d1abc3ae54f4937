package io.aimp.gateway.assistants;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.SpecialAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
            for (int i = 0; i < 100 && !listener.isClosed(); i++) {
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
        String metadata = fresh("metadata");
        script(metadata, List.of(address("169.254.169.254")));
        // every internal name and literal is on the allowlist: the address rules alone must refuse them
        HttpGetTool tool = new HttpGetTool(List.of("127.0.0.1", "[::1]", "::1", "169.254.169.254", "10.0.0.1",
                "2130706433", "localhost", metadata), Duration.ofSeconds(2), 1024);
        for (String url : List.of(
                "http://127.0.0.1:" + port + "/",
                "http://[::1]:" + port + "/",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/",
                "http://2130706433:" + port + "/",
                "http://0x7f.1:" + port + "/",
                "http://localhost:" + port + "/",
                "http://LOCALHOST.:" + port + "/",
                "http://" + metadata + "/",
                "http://not-allowed.example/",
                "file:///etc/passwd",
                "http://user:pw@localhost:" + port + "/")) {
            assertThatThrownBy(() -> tool.get(url)).as(url).isInstanceOf(HttpGetTool.Refused.class);
        }
        assertThat(connections.get()).as("connections the listener saw").isZero();
    }

    @Test
    void should_fetch_through_the_egress_client_following_a_checked_redirect_and_cutting_the_body() throws IOException {
        // given a "public" server (127.0.0.2, let through by the test's address rule) that redirects once
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/start", x -> {
            x.getResponseHeaders().add("Location", "/page");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/page", x -> {
            byte[] body = "x".repeat(2000).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            String name = fresh("tool");
            script(name, List.of(address("127.0.0.2")), List.of(address("127.0.0.1")));
            HttpGetTool tool = new HttpGetTool(new EgressClient(HttpGetTool.policy(List.of(name), Duration.ofSeconds(10), 1024)
                    .withAddressCheck(a -> a.getHostAddress().equals("127.0.0.2") || SpecialAddresses.isPublic(a))));
            int port = server.getAddress().getPort();

            // when
            HttpGetTool.Fetched f = tool.get("http://" + name.toUpperCase() + ".:" + port + "/start");

            // then
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.contentType()).isEqualTo("text/plain");
            assertThat(f.body()).hasSize(1024);
            assertThat(f.truncated()).isTrue();
            assertThat(f.url()).isEqualTo("http://" + name + ":" + port + "/page");
        } finally {
            server.stop(0);
        }
    }
}
