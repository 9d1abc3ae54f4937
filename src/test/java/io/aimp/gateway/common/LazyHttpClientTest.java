package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LazyHttpClientTest {

    @Test
    void should_build_the_client_on_first_use_only_never_following_redirects() {
        LazyHttpClient lazy = new LazyHttpClient(Duration.ofSeconds(3));
        assertThat(lazy.built()).isFalse();

        HttpClient client = lazy.get();

        assertThat(lazy.built()).isTrue();
        assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
        assertThat(lazy.get()).isSameAs(client);
    }

    @Test
    void should_hand_every_thread_the_same_client() throws Exception {
        LazyHttpClient lazy = new LazyHttpClient(Duration.ofSeconds(1));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Callable<HttpClient>> gets = IntStream.range(0, 16).<Callable<HttpClient>>mapToObj(i -> lazy::get).toList();
            List<Future<HttpClient>> results = pool.invokeAll(gets);
            HttpClient first = results.getFirst().get();
            for (Future<HttpClient> f : results) {
                assertThat(f.get()).isSameAs(first);
            }
        }
    }
}
