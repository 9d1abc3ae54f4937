package io.aimp.gateway.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one client for outbound calls made on a caller's behalf (workflow {@code http} blocks, the
 * assistants' {@code http_get}, and whatever calls out for a caller next). Provider base URLs are
 * operator configuration and do not come through here.
 * <p>
 * Each hop, the first URL and every redirect alike: parse the URL and normalize its host
 * ({@link Target}); refuse it unless the normalized name is on the policy's allowlist and is not an
 * IP address; resolve that name once; refuse the call when any resolved address fails the policy's
 * address rule ({@link SpecialAddresses}); connect to a checked address itself, never to the name
 * (so a DNS answer that changes between check and connection changes nothing); for https, send the
 * name as SNI and check the certificate against it. One deadline ({@link EgressPolicy#timeout()})
 * bounds the whole call; the body is cut at {@link EgressPolicy#maxResponseBytes()}.
 */
public final class EgressClient {

    /** An answer: status, header fields (names in lower case), the body as kept, and the URL that answered. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean truncated, String url) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    private static final List<String> CREDENTIALS = List.of("authorization", "cookie");

    private final EgressPolicy policy;
    private final Supplier<SSLSocketFactory> tls;

    public EgressClient(EgressPolicy policy) {
        // the default TLS context costs ~0.1 s to set up: only calls over https pay for it
        this(policy, () -> (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    EgressClient(EgressPolicy policy, Supplier<SSLSocketFactory> tls) {
        this.policy = policy;
        this.tls = tls;
    }

    /**
     * Checks a URL against the policy's URL rules without resolving it (for configuration checks).
     *
     * @throws EgressException {@code REFUSED} with the reason
     */
    public void check(String url) {
        Target.parse(url, policy);
    }

    /**
     * Checks request header fields without sending anything (for configuration checks).
     *
     * @throws EgressException {@code REFUSED} for a field the client owns ({@code Host},
     *         {@code Content-Length}, {@code Connection}, ...), an invalid name, or a value with a line break
     */
    public static void checkHeaders(Map<String, String> headers) {
        Http11.checkHeaders(headers);
    }

    public Response get(String url, Map<String, String> headers) {
        return send("GET", url, headers, null);
    }

    /**
     * Sends one request and follows up to {@link EgressPolicy#maxRedirects()} redirects (303, and
     * 301/302 after anything but GET, continue as a GET without body; {@code Authorization} and
     * {@code Cookie} are not sent to another origin). With no redirects allowed a 3xx is returned.
     *
     * @throws EgressException {@code REFUSED} when the policy refuses a URL, a redirect or an
     *         address (nothing was sent there); {@code FAILED} when the call did not complete in time
     *         or the answer was not HTTP
     */
    public Response send(String method, String url, Map<String, String> headers, byte[] body) {
        if (!method.matches("[A-Z]{1,16}")) {
            throw EgressException.refused("'" + method + "' is not an HTTP method");
        }
        Http11.checkHeaders(headers);
        long deadline = System.nanoTime() + policy.timeout().toNanos();
        Target target = Target.parse(url, policy);
        Map<String, String> sent = new LinkedHashMap<>(headers);
        for (int hop = 0; ; hop++) {
            Http11.Answer answer = call(target, method, sent, body, deadline);
            Optional<String> location = Optional.ofNullable(answer.headers().get("location"))
                    .filter(l -> !l.isEmpty()).map(List::getFirst);
            boolean redirect = location.isPresent() && switch (answer.status()) {
                case 301, 302, 303, 307, 308 -> true;
                default -> false;
            };
            if (!redirect || policy.maxRedirects() == 0) {
                return new Response(answer.status(), answer.headers(), answer.body().bytes(), answer.body().truncated(),
                        target.url());
            }
            if (hop >= policy.maxRedirects()) {
                throw EgressException.refused("more than " + policy.maxRedirects() + " redirects");
            }
            Target next = target.redirect(location.get(), policy);
            if (!next.sameOrigin(target)) {
                sent.keySet().removeIf(name -> CREDENTIALS.contains(name.toLowerCase(Locale.ROOT)));
            }
            if (answer.status() == 303 || (answer.status() <= 302 && !method.equals("GET") && !method.equals("HEAD"))) {
                method = "GET";
                body = null;
                sent.keySet().removeIf(name -> name.equalsIgnoreCase("content-type"));
            }
            target = next;
        }
    }

    private Http11.Answer call(Target target, String method, Map<String, String> headers, byte[] body, long deadline) {
        List<InetAddress> addresses = resolve(target.host(), deadline);
        try (Connection c = connect(addresses, target, deadline)) {
            return Http11.exchange(c.socket(), target, method, headers, body, policy.maxResponseBytes(), deadline);
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException || System.nanoTime() - deadline >= 0) {
                throw EgressException.failed(target.host() + " did not answer within " + policy.timeout().toMillis() + " ms");
            }
            throw EgressException.failed("the call to " + target.host() + " failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A socket and the watchdog that closes it at the deadline: read timeouts bound each read, but a
     * write to a server that does not read blocks until the socket is closed.
     */
    private record Connection(Socket socket, CompletableFuture<Void> watchdog) implements AutoCloseable {

        static Connection watched(Socket socket, long deadline) {
            return new Connection(socket, CompletableFuture.runAsync(() -> EgressClient.close(socket),
                    CompletableFuture.delayedExecutor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)));
        }

        @Override
        public void close() {
            watchdog.cancel(false);
            EgressClient.close(socket);
        }
    }

    /** Every address the name has, each one checked; the look-up itself is bounded by the deadline. */
    private List<InetAddress> resolve(String host, long deadline) {
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread.ofVirtual().name("egress-resolve").start(lookup);
        InetAddress[] all;
        try {
            all = lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw EgressException.failed(e.getCause() instanceof UnknownHostException
                    ? "host " + host + " does not resolve" : "resolving " + host + " failed");
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw EgressException.failed("resolving " + host + " took longer than " + policy.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw EgressException.failed("interrupted while resolving " + host);
        }
        if (all.length == 0) {
            throw EgressException.failed("host " + host + " does not resolve");
        }
        for (InetAddress a : all) {
            if (!policy.addressAllowed().test(a)) {
                throw EgressException.refused("host " + host + " resolves to a loopback, private, link-local, metadata"
                        + " or other special-purpose address; it is not called");
            }
        }
        return List.of(all);
    }

    /** A connection to the first checked address that accepts one, wrapped in TLS for https. */
    private Connection connect(List<InetAddress> addresses, Target target, long deadline) {
        IOException last = null;
        for (InetAddress address : addresses) {
            int ms = remainingMs(deadline, target);
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, target.port()), ms);
            } catch (IOException e) {
                close(socket);
                last = e;
                continue;
            }
            Connection watched = Connection.watched(socket, deadline);
            if (!target.tls()) {
                return watched;
            }
            try {
                SSLSocket ssl = (SSLSocket) tls.get().createSocket(socket, target.host(), target.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(target.host())));
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(remainingMs(deadline, target));
                ssl.startHandshake();
                return new Connection(ssl, watched.watchdog());
            } catch (IOException | RuntimeException e) {
                watched.close();
                if (e instanceof EgressException deadlinePassed) {
                    throw deadlinePassed;
                }
                throw EgressException.failed("TLS with " + target.host() + " failed: " + e.getClass().getSimpleName());
            }
        }
        if (last instanceof SocketTimeoutException) {
            throw EgressException.failed("could not connect to " + target.host() + " within " + policy.timeout().toMillis() + " ms");
        }
        throw EgressException.failed("could not connect to " + target.host()
                + (last == null ? "" : ": " + last.getClass().getSimpleName()));
    }

    private int remainingMs(long deadline, Target target) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw EgressException.failed(target.host() + " did not answer within " + policy.timeout().toMillis() + " ms");
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
