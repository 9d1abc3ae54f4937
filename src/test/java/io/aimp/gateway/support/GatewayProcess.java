package io.aimp.gateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged gateway as a child process on a free loopback port, for crash and restart tests,
 * started the way the README starts it: {@code bin/aimp-gateway}, with its JVM flags and its start-up
 * cache (prepared once per test JVM, before the first start). Its output goes to a log file in the
 * data directory. {@link #kill()} is SIGKILL; {@link #stop()} a
 * graceful shutdown.
 */
public final class GatewayProcess implements AutoCloseable {

    private static boolean cachePrepared;

    private final Path launcher;
    private final Path dataDir;
    private final Map<String, String> env;
    private final int port;
    private Process process;
    private int starts;

    public GatewayProcess(Path dataDir, Map<String, String> env) {
        String jarPath = System.getProperty("aimp.jar", "target/aimp-gateway.jar");
        Path jar = Path.of(jarPath).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("packaged jar not found at " + jar + "; run ./mvnw verify");
        }
        this.launcher = jar.getParent().getParent().resolve("bin/aimp-gateway");
        this.dataDir = dataDir;
        this.env = Map.copyOf(env);
        this.port = freePort();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts the gateway and waits (at most 90 s) until {@code /api/status} answers 200. */
    public GatewayProcess start() {
        prepareCache(launcher, dataDir);
        ProcessBuilder pb = launcherProcess(launcher)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway-" + (++starts) + ".log").toFile()));
        // the crash tests count every credit of the owner's wallet: no first-start indexing run unless asked
        pb.environment().put("AIMP_DEMO_INDEX_DOCS", "false");
        pb.environment().putAll(env);
        pb.environment().put("AIMP_DATA_DIR", dataDir.toString());
        pb.environment().put("AIMP_PORT", Integer.toString(port));
        pb.environment().put("SERVER_ADDRESS", "127.0.0.1");
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            // ready means exactly this: /api/status answers 200 (it answers 503 while starting)
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("gateway exited with " + process.exitValue() + "; see " + dataDir);
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            kill();
            throw new IllegalStateException("gateway did not answer within 300 s; see " + dataDir, e);
        }
        return this;
    }

    /** {@code bin/aimp-gateway --prepare-cache}, once per test JVM; a failure fails the test. */
    private static synchronized void prepareCache(Path launcher, Path logDir) {
        if (cachePrepared) {
            return;
        }
        ProcessBuilder pb = launcherProcess(launcher).command(launcher.toString(), "--prepare-cache")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("prepare-cache.log").toFile()));
        try {
            Process p = pb.start();
            // minutes on a quiet machine are seconds; the bound leaves room for a busy one
            if (!p.waitFor(900, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("preparing the start-up cache took over 900 s; see " + logDir);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("bin/aimp-gateway --prepare-cache exited with " + p.exitValue() + "; see " + logDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        cachePrepared = true;
    }

    /** The launcher on this JVM's JDK, never building (the jar under test is the one that exists). */
    private static ProcessBuilder launcherProcess(Path launcher) {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("AIMP_SKIP_BUILD", "true");
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        return pb;
    }

    /** SIGKILL, as a crash would: no shutdown hooks, nothing flushed. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** A graceful stop (SIGTERM), killed after 30 s. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
