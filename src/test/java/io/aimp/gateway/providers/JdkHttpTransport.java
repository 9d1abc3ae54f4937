package io.aimp.gateway.providers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A contender in {@link ProviderTransportBenchmark}: the provider transport on the JDK's {@link HttpClient} (HTTP/1.1, keep-alive pool of the client, TLS
 * with host name verification), its handlers on virtual threads. One deadline covers the whole exchange,
 * body included: past it the exchange is cancelled and its connection dropped.
 */
final class JdkHttpTransport implements HttpTransport {

    /** Header names the client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");

    private final String base;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    JdkHttpTransport(URI base, Duration connectTimeout) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("base URL must be http or https");
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException("base URL has no host");
        }
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    }

    @Override
    public Response post(String path, List<Map.Entry<String, String>> headers, byte[] body, Duration timeout)
            throws IOException, TimeoutException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : headers) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                request.header(h.getKey(), h.getValue());
            }
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request.build(), info -> new Bounded());
        try {
            HttpResponse<byte[]> r = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new TimeoutException("no complete answer within the timeout");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new TimeoutException("no complete answer within the timeout");
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }

    /** Collects the body, failing past {@link #MAX_BODY} bytes. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (out.size() + b.remaining() > MAX_BODY) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("answer body over " + MAX_BODY + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
