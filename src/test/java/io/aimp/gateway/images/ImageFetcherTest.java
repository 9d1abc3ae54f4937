package io.aimp.gateway.images;

import static io.aimp.gateway.support.ScriptedResolver.address;
import static io.aimp.gateway.support.ScriptedResolver.fresh;
import static io.aimp.gateway.support.ScriptedResolver.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.egress.EgressPolicy;
import io.aimp.gateway.egress.SpecialAddresses;
import io.aimp.gateway.providers.ProviderFailure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An image a provider answered as a {@code url}, fetched through the egress client: from a host on the allowlist,
 * whose name resolves (scripted DNS) to the fake provider's address, which this test's address rule lets through
 * as if it were public. Hosts off the list and addresses the product's rule refuses are never fetched.
 */
class ImageFetcherTest {

    static final FakeImageProvider FAKE = new FakeImageProvider();
    static final InetAddress SERVER = address("127.0.0.1");
    static final int PORT = URI.create(FAKE.baseUrl("files")).getPort();

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    private static ImageFetcher fetcher(List<String> allowed, boolean serverCountsAsPublic) {
        EgressPolicy policy = EgressPolicy.of(ImagesProperties.ALLOWLIST, allowed, 0, Duration.ofSeconds(30), 200_001);
        return new ImageFetcher(serverCountsAsPublic
                ? policy.withAddressCheck(a -> a.equals(SERVER) || SpecialAddresses.isPublic(a)) : policy);
    }

    @Test
    void should_fetch_the_image_from_an_allowlisted_host() throws IOException {
        String host = fresh("cdn");
        script(host, List.of(SERVER));
        String url = "http://" + host + ":" + PORT + "/files/ok-" + host + ".png";

        byte[] bytes = fetcher(List.of(host), true).fetch(url);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(64);
        assertThat(FAKE.urlFetches.get("/files/ok-" + host + ".png").get()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_host_off_the_allowlist_and_a_private_address_without_fetching() {
        String host = fresh("other");
        script(host, List.of(SERVER));
        String url = "http://" + host + ":" + PORT + "/files/off-" + host + ".png";

        assertThatThrownBy(() -> fetcher(List.of("cdn.example.com"), true).fetch(url))
                .isInstanceOf(ProviderFailure.class).hasMessageContaining("was not fetched");
        // listed, but the name resolves to loopback, which the product's rule refuses
        assertThatThrownBy(() -> fetcher(List.of(host), false).fetch(url))
                .isInstanceOf(ProviderFailure.class).hasMessageContaining("was not fetched");
        assertThat(FAKE.urlFetches.get("/files/off-" + host + ".png")).isNull();
    }
}
