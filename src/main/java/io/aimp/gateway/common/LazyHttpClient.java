package io.aimp.gateway.common;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * An outbound JDK {@link HttpClient} that never follows redirects, built on its first use: building
 * one sets up an SSL context and a selector thread (about 0.1 s at start-up), and most gateways never
 * call out. Safe to share between threads.
 */
public final class LazyHttpClient {

    private final Duration connectTimeout;
    private volatile HttpClient client;

    public LazyHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public HttpClient get() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Whether the client has been built (for tests). */
    boolean built() {
        return client != null;
    }
}
