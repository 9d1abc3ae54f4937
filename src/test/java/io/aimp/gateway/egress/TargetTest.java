package io.aimp.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One spelling per host: what is checked, resolved, sent as Host and SNI. */
class TargetTest {

    static final EgressPolicy POLICY = EgressPolicy.of("test.allowed-hosts",
            List.of("api.example.com", "BÜCHER.example.", "127.0.0.1", "2130706433", "0x7f.1", "::1", "[::1]"),
            0, Duration.ofSeconds(1), 1024);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://api.example.com/v1            | false | api.example.com       | 80  | /v1
            HTTPS://API.EXAMPLE.COM./v1?q=1      | true  | api.example.com       | 443 | /v1?q=1
            http://Api.Example.Com.:8080         | false | api.example.com       | 8080 | /
            http://bücher.example/               | false | xn--bcher-kva.example | 80  | /
            http://BÜCHER.EXAMPLE./              | false | xn--bcher-kva.example | 80  | /
            http://bücher。example:81/            | false | xn--bcher-kva.example | 81  | /
            http://XN--BCHER-KVA.example./       | false | xn--bcher-kva.example | 80  | /
            http://api.example.com/ä?q=ü#frag    | false | api.example.com       | 80  | /%C3%A4?q=%C3%BC
            """)
    void should_normalize_the_host_once(String url, boolean tls, String host, int port, String requestTarget) {
        assertThat(Target.parse(url, POLICY)).isEqualTo(new Target(tls, host, port, requestTarget));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://2130706433/", "http://0x7f.1/", "http://[::1]/",
            "http://[::ffff:127.0.0.1]/", "http://api.example.com@127.0.0.1/", "http://user@api.example.com/",
            "ftp://api.example.com/", "file:///etc/passwd", "http:api.example.com", "http://api.example.com:0/",
            "http://api.example.com:70000/", "http://api.example.com..:80/", "http://api_example.com/",
            "http://api.example.com%2e/", "http://other.example.com/", "http://example.com/", "http:// api.example.com/",
            "http://api.example.com.evil.test/"})
    void should_refuse_ip_literals_odd_spellings_and_names_off_the_allowlist(String url) {
        assertThatThrownBy(() -> Target.parse(url, POLICY)).isInstanceOfSatisfying(EgressException.class,
                e -> assertThat(e.reason()).isEqualTo(EgressException.Reason.REFUSED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /next                          | http://api.example.com/next
            ../up?x=1                      | http://api.example.com/up?x=1
            https://API.example.com./s     | https://api.example.com/s
            //bücher.example/p             | http://xn--bcher-kva.example/p
            """)
    void should_check_a_redirect_target_like_a_new_url(String location, String url) {
        Target from = Target.parse("http://api.example.com/a/b", POLICY);
        assertThat(from.redirect(location, POLICY).url()).isEqualTo(url);
    }
}
