package io.aimp.gateway.egress;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.support.ScriptedResolver;
import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The egress client against names whose DNS answers the test scripts ({@link ScriptedResolver}):
 * 127.0.0.2 stands for a public address (the test's address rule lets it through, and a server
 * there answers "public"), while a server on 127.0.0.1, same port, holds the secret that must never
 * be fetched. Every other address is judged by the product's rule.
 */
class EgressClientTest {

    static final InetAddress PUBLIC = address("127.0.0.2");
    static final InetAddress PRIVATE = address("127.0.0.1");
    static final Predicate<InetAddress> TEST_RULE = a -> a.equals(PUBLIC) || SpecialAddresses.isPublic(a);

    LoopbackServer open;
    LoopbackServer secret;
    int port;
    final List<String> allowed = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        LoopbackServer[] pair = LoopbackServer.pair("127.0.0.2", LoopbackServer.byPath(this::route),
                "127.0.0.1", LoopbackServer.ok("secret"));
        open = pair[0];
        secret = pair[1];
        port = open.port();
    }

    @AfterEach
    void stop() throws IOException {
        open.close();
        secret.close();
    }

    /** What the "public" server answers: /to/URL redirects (302) to URL (percent-decoded), everything else answers "public". */
    private LoopbackServer.Answer route(String path) {
        if (path.startsWith("/to/")) {
            return LoopbackServer.redirect(302, URLDecoder.decode(path.substring(4), StandardCharsets.UTF_8));
        }
        return LoopbackServer.ok("public " + path);
    }

    private EgressClient client(int redirects) {
        return new EgressClient(EgressPolicy.of("test.allowed-hosts", allowed, redirects, Duration.ofSeconds(10), 4096)
                .withAddressCheck(TEST_RULE));
    }

    /** A fresh allowlisted name whose first look-up answers the public address, every later one 127.0.0.1. */
    private String rebinding(String label) {
        String name = fresh(label);
        script(name, List.of(PUBLIC), List.of(PRIVATE));
        allowed.add(name);
        return name;
    }

    private static String body(EgressClient.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void should_connect_to_the_checked_address_whatever_the_spelling_of_a_rebinding_name() {
        // given names whose DNS answers public first and 127.0.0.1 on every later look-up
        String upper = rebinding("upper");
        String dot = rebinding("dot");
        String mixed = rebinding("mixed");
        String idn = "bücher-" + fresh("idn");
        String idnAscii = IDN.toASCII(idn);
        script(idnAscii, List.of(PUBLIC), List.of(PRIVATE));
        allowed.add(idn);
        String idnDot = "bücher-dot-" + fresh("i");
        script(IDN.toASCII(idnDot), List.of(PUBLIC), List.of(PRIVATE));
        allowed.add(IDN.toASCII(idnDot));
        EgressClient client = client(0);
        List<String> spellings = List.of(upper.toUpperCase(), dot + ".", mixed.substring(0, 3).toUpperCase() + mixed.substring(3) + ".",
                idn.toUpperCase(), idnAscii.toUpperCase() + ".", idnDot.replace('.', '。'));

        for (String host : spellings) {
            // when
            EgressClient.Response r = client.get("http://" + host + ":" + port + "/page", Map.of());
            // then
            assertThat(body(r)).as(host).isEqualTo("public /page");
        }
        assertThat(secret.connections.get()).as("connections to 127.0.0.1").isZero();
        assertThat(ScriptedResolver.lookups(upper)).as("one look-up, of the normalized name").containsExactly(upper);
        assertThat(ScriptedResolver.lookups(dot)).containsExactly(dot);
        assertThat(ScriptedResolver.lookups(idnAscii)).containsExactly(idnAscii);
        assertThat(open.heads).extracting(h -> h.lines().filter(l -> l.startsWith("Host: ")).findFirst().orElseThrow())
                .containsExactly("Host: " + upper + ":" + port, "Host: " + dot + ":" + port, "Host: " + mixed + ":" + port,
                        "Host: " + idnAscii + ":" + port, "Host: " + idnAscii + ":" + port,
                        "Host: " + IDN.toASCII(idnDot) + ":" + port);
    }

    @Test
    void should_refuse_a_name_when_any_address_it_resolves_to_is_special() {
        String both = fresh("both");
        script(both, List.of(PUBLIC, PRIVATE));
        String privateFirst = fresh("private-first");
        script(privateFirst, List.of(PRIVATE), List.of(PUBLIC));
        String metadata = fresh("metadata");
        script(metadata, List.of(PUBLIC, address("169.254.169.254")));
        String nat64 = fresh("nat64");
        script(nat64, List.of(address("64:ff9b::7f00:1")));
        allowed.addAll(List.of(both, privateFirst, metadata, nat64));
        EgressClient client = client(0);

        for (String host : List.of(both, privateFirst.toUpperCase() + ".", metadata, nat64)) {
            assertThatThrownBy(() -> client.get("http://" + host + ":" + port + "/", Map.of())).as(host)
                    .isInstanceOfSatisfying(EgressException.class, e -> {
                        assertThat(e.reason()).isEqualTo(EgressException.Reason.REFUSED);
                        assertThat(e.getMessage()).contains("special-purpose address");
                    });
        }
        assertThat(open.connections.get() + secret.connections.get()).as("connections").isZero();
    }

    @Test
    void should_refuse_loopback_names_under_the_product_rule() {
        String name = fresh("loop");
        script(name, List.of(PUBLIC));
        allowed.add(name);
        EgressClient product = new EgressClient(EgressPolicy.of("test.allowed-hosts", allowed, 0, Duration.ofSeconds(5), 1024));

        assertThatThrownBy(() -> product.get("http://" + name + ":" + port + "/", Map.of()))
                .isInstanceOf(EgressException.class).hasMessageContaining("loopback");
        assertThat(open.connections.get() + secret.connections.get()).isZero();
    }

    @Test
    void should_refuse_ip_literals_and_names_off_the_allowlist_without_resolving_or_connecting() {
        allowed.addAll(List.of("127.0.0.1", "127.0.0.2", "2130706433", "0x7f.1", "017700000001", "::1", "[::1]"));
        EgressClient client = client(0);
        for (String url : List.of("http://127.0.0.2:" + port + "/", "http://127.0.0.1:" + port + "/",
                "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/", "http://017700000001:" + port + "/",
                "http://[::1]:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://127.1:" + port + "/",
                "http://off-list" + ScriptedResolver.SUFFIX + ":" + port + "/", "file:///etc/passwd", "ftp://x/",
                "http://user:pw@127.0.0.2:" + port + "/", "http://a_b.test/", "http://a%41.test/", "http:///x",
                "http://" + allowedName() + ":99999/")) {
            assertThatThrownBy(() -> client.get(url, Map.of())).as(url)
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.REFUSED));
        }
        assertThat(open.connections.get() + secret.connections.get()).isZero();
    }

    private String allowedName() {
        String name = fresh("port");
        allowed.add(name);
        return name;
    }

    @Test
    void should_check_every_redirect_hop_and_refuse_one_that_leads_to_a_private_address() {
        String start = stable("start");
        String middle = stable("middle");
        String second = rebinding("second");
        String toPrivate = privateName("to-private");
        String deeper = privateName("deeper");
        EgressClient client = client(3);

        // a redirect to another allowlisted name (a rebinding one, spelled otherwise) is a new resolve, check, connect
        String ok = "http://" + start + ":" + port + "/to/http://" + second.toUpperCase() + ".:" + port + "/final";
        EgressClient.Response r = client.get(ok, Map.of());
        assertThat(body(r)).isEqualTo("public /final");
        assertThat(r.url()).isEqualTo("http://" + second + ":" + port + "/final");

        // each of these is refused at the hop that leads there, the last one at the second hop
        Map<String, String> refusals = Map.of(
                "http://" + toPrivate + ":" + port + "/secret", toPrivate + " resolves to a loopback",
                "http://127.0.0.1:" + port + "/secret", "127.0.0.1 is not on test.allowed-hosts",
                "http://localhost:" + port + "/secret", "localhost is not on test.allowed-hosts",
                "http://%5B::1%5D:" + port + "/secret", "IP addresses are refused",
                "http://" + middle + ":" + port + "/to/http://" + deeper + ":" + port + "/secret", deeper + " resolves to a loopback");
        refusals.forEach((target, reason) -> {
            String url = "http://" + start + ":" + port + "/to/" + target;
            assertThatThrownBy(() -> client.get(url, Map.of())).as(target)
                    .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.REFUSED))
                    .hasMessageContaining(reason);
        });
        assertThat(secret.connections.get()).as("connections to 127.0.0.1").isZero();
        assertThat(open.heads).filteredOn(h -> h.startsWith("GET /secret ")).as("requests for /secret anywhere").isEmpty();
    }

    /** A fresh allowlisted name that always answers the public address. */
    private String stable(String label) {
        String name = fresh(label);
        script(name, List.of(PUBLIC));
        allowed.add(name);
        return name;
    }

    /** A fresh allowlisted name that always answers 127.0.0.1. */
    private String privateName(String label) {
        String name = fresh(label);
        script(name, List.of(PRIVATE));
        allowed.add(name);
        return name;
    }

    @Test
    void should_stop_after_the_policy_s_redirects_and_return_a_redirect_when_none_are_followed() {
        String name = stable("loop");
        String self = "http://" + name + ":" + port;
        String four = self + "/to/" + self + "/to/" + self + "/to/" + self + "/to/" + self + "/end";

        assertThatThrownBy(() -> client(3).get(four, Map.of())).hasMessageContaining("more than 3 redirects");
        EgressClient.Response r = client(0).get(self + "/to/" + self + "/end", Map.of());
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).contains(self + "/end");
    }

    @Test
    void should_refuse_headers_that_could_split_or_redirect_the_request() {
        String name = stable("headers");
        EgressClient client = client(0);
        for (Map<String, String> headers : List.of(Map.of("X-A", "a\r\nHost: evil"), Map.of("Host", "evil"),
                Map.of("Bad Name", "x"), Map.of("Transfer-Encoding", "chunked"))) {
            assertThatThrownBy(() -> client.get("http://" + name + ":" + port + "/", headers)).as(headers.toString())
                    .isInstanceOf(EgressException.class);
        }
        assertThat(open.connections.get()).isZero();
    }
}
