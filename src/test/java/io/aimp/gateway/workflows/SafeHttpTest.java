package io.aimp.gateway.workflows;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.egress.EgressClient;
import io.aimp.gateway.egress.SpecialAddresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SafeHttpTest {

    @Test
    void should_refuse_hosts_off_the_allowlist_and_allowlisted_names_that_resolve_to_loopback() {
        SafeHttp http = new SafeHttp(new WorkflowProperties.Http(List.of("localhost"), Duration.ofSeconds(1), 1024));
        assertThatThrownBy(() -> http.call("http://example.org/x", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("allowed-hosts");
        assertThatThrownBy(() -> http.call("http://localhost:9/x", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> http.call("file:///etc/passwd", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("http and https");
        assertThatThrownBy(() -> http.call("http://LocalHost.:9/x", "GET", Map.of(), null))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONFIGURATION))
                .hasMessageContaining("loopback");
    }

    @Test
    void should_refuse_ip_literals_in_catalog_urls_even_when_allowlisted() {
        WorkflowProperties.Http settings = new WorkflowProperties.Http(List.of("8.8.8.8", "API.example.com."), Duration.ofSeconds(1), 1024);
        SafeHttp.checkConfigured("https://api.EXAMPLE.com./v1", settings);
        assertThatThrownBy(() -> SafeHttp.checkConfigured("http://8.8.8.8/", settings)).hasMessageContaining("IP addresses are refused");
        assertThatThrownBy(() -> SafeHttp.checkConfigured("http://other.example.com/", settings))
                .hasMessageContaining("is not on aimp.workflows.http.allowed-hosts");
    }

    @Test
    void should_post_to_the_checked_address_and_fail_on_redirects_and_oversized_answers() throws IOException {
        // given a "public" server on 127.0.0.2 (the test's address rule lets it through)
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/echo", x -> {
            received.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Host") + " "
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/echo");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/big", x -> {
            x.sendResponseHeaders(200, 0);
            x.getResponseBody().write(new byte[5000]);
            x.close();
        });
        server.start();
        try {
            String name = fresh("workflow");
            script(name, List.of(address("127.0.0.2")), List.of(address("127.0.0.1")));
            WorkflowProperties.Http settings = new WorkflowProperties.Http(List.of(name), Duration.ofSeconds(10), 1024);
            SafeHttp http = new SafeHttp(new EgressClient(SafeHttp.policy(settings)
                    .withAddressCheck(a -> a.getHostAddress().equals("127.0.0.2") || SpecialAddresses.isPublic(a))));
            String base = "http://" + name.toUpperCase() + ":" + server.getAddress().getPort();

            SafeHttp.Response r = http.call(base + "/echo", "POST", Map.of("Content-Type", "application/json"), "{\"q\":1}");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"ok\":true}");
            assertThat(received).containsExactly("POST " + name + ":" + server.getAddress().getPort() + " {\"q\":1}");
            assertThatThrownBy(() -> http.call(base + "/moved", "GET", Map.of(), null))
                    .hasMessageContaining("answered HTTP 302 (redirects are not followed)");
            assertThatThrownBy(() -> http.call(base + "/big", "GET", Map.of(), null))
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.EXECUTION))
                    .hasMessageContaining("larger than 1024 bytes");
            assertThat(received).hasSize(1);
        } finally {
            server.stop(0);
        }
    }
}
