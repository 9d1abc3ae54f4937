package io.aimp.gateway.egress;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https through the egress client: it connects to the checked address, sends the normalized name as
 * SNI and Host, and checks the server's certificate against that name. The certificate is made for
 * the test by the JDK's keytool and trusted only by this test's client.
 */
class EgressTlsTest {

    static final String PASSWORD = "changeit";
    static String certified;
    static SSLContext server;
    static SSLContext client;
    static LoopbackServer tls;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        certified = fresh("tls");
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + certified, "-ext", "SAN=dns:" + certified, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output;
        try (InputStream out = keytool.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        tls = LoopbackServer.start(server.getServerSocketFactory(), "127.0.0.2", 0, LoopbackServer.ok("over tls"));
    }

    @AfterAll
    static void stop() throws IOException {
        tls.close();
    }

    private static EgressClient client(List<String> allowed) {
        return new EgressClient(EgressPolicy.of("test.allowed-hosts", allowed, 0, Duration.ofSeconds(10), 1024)
                .withAddressCheck(EgressClientTest.TEST_RULE), client::getSocketFactory);
    }

    @Test
    void should_send_the_normalized_name_as_sni_and_host_and_accept_its_certificate() {
        // the name answers the checked address first and 127.0.0.1 after: the connection must not care
        script(certified, List.of(address("127.0.0.2")), List.of(address("127.0.0.1")));

        EgressClient.Response r = client(List.of(certified))
                .get("https://" + certified.toUpperCase() + ".:" + tls.port() + "/doc", Map.of());

        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("over tls");
        assertThat(tls.serverNames).contains(certified);
        assertThat(tls.heads).anySatisfy(h -> assertThat(h).startsWith("GET /doc HTTP/1.1\r\nHost: " + certified + ":" + tls.port() + "\r\n"));
    }

    @Test
    void should_refuse_a_certificate_that_does_not_name_the_host() {
        // given another allowlisted name that resolves to the same server
        String other = fresh("other");
        script(other, List.of(address("127.0.0.2")));
        int heads = tls.heads.size();

        assertThatThrownBy(() -> client(List.of(other)).get("https://" + other + ":" + tls.port() + "/", Map.of()))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.FAILED))
                .hasMessageContaining("TLS with " + other + " failed");
        assertThat(tls.heads).as("requests the server read").hasSize(heads);
    }
}
