package io.aimp.gateway.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.common.GatewayException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeHttpTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
            "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    void should_refuse_loopback_private_link_local_and_metadata_addresses(String address) throws Exception {
        assertThat(SafeHttp.isPublic(InetAddress.getByName(address))).as(address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "2606:4700::1111"})
    void should_allow_public_addresses(String address) throws Exception {
        assertThat(SafeHttp.isPublic(InetAddress.getByName(address))).as(address).isTrue();
    }

    @Test
    void should_refuse_hosts_off_the_allowlist_and_allowlisted_names_that_resolve_to_loopback() {
        SafeHttp http = new SafeHttp(new WorkflowProperties.Http(List.of("localhost"), Duration.ofSeconds(1), 1024));
        assertThatThrownBy(() -> http.call("http://example.org/x", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("allowed-hosts");
        assertThatThrownBy(() -> http.call("http://localhost:9/x", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> http.call("file:///etc/passwd", "GET", Map.of(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("http or https");
    }
}
