package io.aimp.gateway.providers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Side by side, in one JVM and one run: the provider transports ({@link Http1Client}, {@link JdkHttpTransport})
 * and Apache HttpClient 5 (classic, pooled), each POSTing a chat-completion-sized request to the same local
 * fake provider (keep-alive HTTP/1.1 on 127.0.0.1, one virtual thread per connection, a fixed 388-byte JSON
 * answer) from virtual threads in a closed loop. Per concurrency and round, each contender warms up, then is
 * measured for the same time; rounds alternate the order. Prints p50/p99 latency and requests/s per cell.
 *
 * Run with {@code bench/transport.sh [seconds per cell] [rounds] [concurrencies]}; figures in BENCHMARKS.md.
 */
public final class ProviderTransportBenchmark {

    private static final byte[] REQUEST = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the refund policy in one "
            + "sentence.\"}],\"max_tokens\":256,\"temperature\":0.2}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER_BODY = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":"
            + "1760000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Refunds are paid within five days of the request, to the card that was charged, once the item is back."
            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":24,\"total_tokens\":55}"
            + ",\"system_fingerprint\":\"fp_bench\"}").getBytes(StandardCharsets.UTF_8);
    private static final List<Map.Entry<String, String>> HEADERS = List.of(Map.entry("Content-Type", "application/json"),
            Map.entry("Accept", "application/json"), Map.entry("Authorization", "Bearer sk-bench-000000000000"));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProviderTransportBenchmark() {
    }

    /** A transport under test. */
    private interface Contender extends AutoCloseable {
        void call() throws Exception;

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int[] concurrencies = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 16};
        try (FixedAnswerServer server = new FixedAnswerServer()) {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/v1");
            Map<String, Contender> contenders = new LinkedHashMap<>();
            contenders.put("Http1Client", transport(new Http1Client(base, Duration.ofSeconds(5))));
            contenders.put("JDK HttpClient", transport(new JdkHttpTransport(base, Duration.ofSeconds(5))));
            contenders.put("Apache HC5", apache(base));
            System.out.printf(Locale.ROOT, "%d s warm-up + %d s measured per cell, %d rounds, Java %s, %d CPUs%n", seconds,
                    seconds, rounds, Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.println("| round | conc | transport | p50 µs | p99 µs | req/s |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            for (int round = 1; round <= rounds; round++) {
                List<String> order = new ArrayList<>(contenders.keySet());
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (int c : concurrencies) {
                    for (String name : order) {
                        Contender contender = contenders.get(name);
                        load(contender, c, Duration.ofSeconds(seconds));
                        long[] latencies = load(contender, c, Duration.ofSeconds(seconds));
                        Arrays.sort(latencies);
                        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f | %.1f | %,.0f |%n", round, c, name,
                                percentile(latencies, 0.50) / 1000.0, percentile(latencies, 0.99) / 1000.0,
                                latencies.length / (double) seconds);
                    }
                }
            }
            for (Contender c : contenders.values()) {
                c.close();
            }
        }
    }

    private static Contender transport(HttpTransport t) {
        return new Contender() {
            @Override
            public void call() throws Exception {
                HttpTransport.Response r = t.post("/chat/completions", HEADERS, REQUEST, TIMEOUT);
                if (r.status() != 200 || r.body().length != ANSWER_BODY.length) {
                    throw new IllegalStateException("unexpected answer " + r.status());
                }
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }

    private static Contender apache(URI base) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(256).setMaxConnTotal(256)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build())
                .build();
        CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries()
                .disableRedirectHandling().disableCookieManagement()
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(TIMEOUT)).build()).build();
        String url = base + "/chat/completions";
        return new Contender() {
            @Override
            public void call() throws Exception {
                HttpPost post = new HttpPost(url);
                for (Map.Entry<String, String> h : HEADERS) {
                    if (!h.getKey().equals("Content-Type")) {
                        post.addHeader(h.getKey(), h.getValue());
                    }
                }
                post.setEntity(new ByteArrayEntity(REQUEST, ContentType.APPLICATION_JSON));
                byte[] body = client.execute(post, r -> {
                    if (r.getCode() != 200) {
                        throw new IllegalStateException("unexpected answer " + r.getCode());
                    }
                    return EntityUtils.toByteArray(r.getEntity());
                });
                if (body.length != ANSWER_BODY.length) {
                    throw new IllegalStateException("unexpected body");
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    /** {@code concurrency} virtual threads calling in a closed loop for {@code time}; every call's latency in ns. */
    private static long[] load(Contender contender, int concurrency, Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        List<Future<long[]>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(threads.submit(() -> {
                    long[] out = new long[1024];
                    int n = 0;
                    long now = System.nanoTime();
                    while (now < end) {
                        contender.call();
                        long done = System.nanoTime();
                        if (n == out.length) {
                            out = Arrays.copyOf(out, n * 2);
                        }
                        out[n++] = done - now;
                        now = done;
                    }
                    return Arrays.copyOf(out, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> w : workers) {
                all.add(w.get());
            }
            return all.stream().flatMapToLong(Arrays::stream).toArray();
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Keep-alive HTTP/1.1 on 127.0.0.1: reads a request (Content-Length body), answers the fixed JSON. */
    private static final class FixedAnswerServer implements AutoCloseable {

        private final ServerSocket socket;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final byte[] answer;

        FixedAnswerServer() throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            answer = concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + ANSWER_BODY.length
                    + "\r\nx-request-id: req_bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII), ANSWER_BODY);
            threads.submit(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private Void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    s.setTcpNoDelay(true);
                    threads.submit(() -> serve(s));
                } catch (IOException e) {
                    return null;
                }
            }
            return null;
        }

        private Void serve(Socket s) {
            try (s; InputStream in = new BufferedInputStream(s.getInputStream());
                 OutputStream out = new BufferedOutputStream(s.getOutputStream())) {
                while (true) {
                    long length = -1;
                    String line;
                    boolean first = true;
                    while ((line = readLine(in)) != null && !line.isEmpty()) {
                        if (!first && line.regionMatches(true, 0, "content-length:", 0, 15)) {
                            length = Long.parseLong(line.substring(15).trim());
                        }
                        first = false;
                    }
                    if (line == null) {
                        return null;
                    }
                    if (length > 0) {
                        in.skipNBytes(length);
                    }
                    out.write(answer);
                    out.flush();
                }
            } catch (IOException e) {
                return null;
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
        }
    }
}
