package io.aimp.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible chat provider on 127.0.0.1 that a test can hold: each base path
 * {@code /<name>/v1} counts its requests and the most it had in flight at once, and may be closed
 * (requests wait at the gate until it opens, at most a minute) or slowed by a fixed delay. Every
 * answer is a chat completion with usage 12 + 5 tokens.
 */
public final class GatedOpenAi implements AutoCloseable {

    private static final String COMPLETION = """
            {"id":"chatcmpl-gated","object":"chat.completion","created":1700000000,"model":"gated",
             "choices":[{"index":0,"message":{"role":"assistant","content":"gated answer"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""";

    private static final class Path {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger waiting = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile long delayMillis;
    }

    private final HttpServer server;
    private final Map<String, Path> paths = new ConcurrentHashMap<>();

    public GatedOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/v1";
    }

    /** Requests to {@code name} wait from now until {@link #open}. */
    public void hold(String name) {
        path(name).gate = new CountDownLatch(1);
    }

    /** Lets every waiting and later request to {@code name} through. */
    public void open(String name) {
        CountDownLatch gate = path(name).gate;
        path(name).gate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Each request to {@code name} takes at least {@code delay}. */
    public void delay(String name, Duration delay) {
        path(name).delayMillis = delay.toMillis();
    }

    public int calls(String name) {
        return path(name).calls.get();
    }

    /** Requests to {@code name} waiting at its closed gate now. */
    public int waiting(String name) {
        return path(name).waiting.get();
    }

    /** The most requests {@code name} had in flight at the same time. */
    public int maxInFlight(String name) {
        return path(name).maxInFlight.get();
    }

    /** Opens every gate and forgets counts and delays. */
    public void reset() {
        paths.keySet().forEach(this::open);
        paths.clear();
    }

    private Path path(String name) {
        return paths.computeIfAbsent(name, k -> new Path());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            Path p = path(ex.getRequestURI().getPath().split("/")[1]);
            p.calls.incrementAndGet();
            p.maxInFlight.accumulateAndGet(p.inFlight.incrementAndGet(), Math::max);
            try {
                CountDownLatch gate = p.gate;
                if (gate != null) {
                    p.waiting.incrementAndGet();
                    try {
                        gate.await(60, TimeUnit.SECONDS);
                    } finally {
                        p.waiting.decrementAndGet();
                    }
                }
                if (p.delayMillis > 0) {
                    Thread.sleep(p.delayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // out of flight before the answer leaves, so the gateway's next request never overlaps this one
                p.inFlight.decrementAndGet();
            }
            byte[] bytes = COMPLETION.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
