package io.aimp.gateway.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The outside pieces of the two-node test, each a child process on a free 127.0.0.1 port with its own
 * files: nginx as a round-robin balancer (its own prefix and configuration, never the system's) and a
 * Redis server of its own (so stopping it disturbs nobody else).
 */
final class ClusterTools {

    private ClusterTools() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An executable on the PATH or in the usual sbin/bin folders (nginx is in /usr/sbin, often off a user's PATH). */
    static Optional<Path> executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new java.util.ArrayList<>(List.of(path.split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** nginx in the foreground ({@code daemon off}) balancing round-robin over {@code upstreamPorts}. */
    static final class Nginx implements AutoCloseable {
        private final int port;
        private final Process process;

        /** Listens on {@code port} (from {@link #freePort()}, chosen first so the gateways can name it as their public URL). */
        Nginx(Path binary, Path dir, int port, int... upstreamPorts) throws IOException {
            this.port = port;
            Files.createDirectories(dir.resolve("temp"));
            StringBuilder servers = new StringBuilder();
            for (int p : upstreamPorts) {
                servers.append("    server 127.0.0.1:").append(p).append(" max_fails=3 fail_timeout=10s;\n");
            }
            // as root the workers would switch to "nobody"; they stay the test's user so they can use the temp folders
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            // the proxy settings of docs/deployment/nginx.conf, so that what the docs recommend is what is tested
            String conf = user + """
                    worker_processes 1;
                    daemon off;
                    master_process on;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/temp/body;
                      proxy_temp_path %1$s/temp/proxy;
                      fastcgi_temp_path %1$s/temp/fastcgi;
                      uwsgi_temp_path %1$s/temp/uwsgi;
                      scgi_temp_path %1$s/temp/scgi;
                      upstream aimp {
                    %2$s    keepalive 32;
                      }
                      client_max_body_size 50m;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      proxy_read_timeout 330s;
                      proxy_next_upstream error timeout http_503;
                      server {
                        listen 127.0.0.1:%3$d;
                        location /mcp {
                          proxy_pass http://aimp;
                          proxy_buffering off;
                        }
                        location / {
                          proxy_pass http://aimp;
                        }
                      }
                    }
                    """.formatted(dir, servers, port);
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, conf);
            process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", file.toString(),
                    "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("nginx exited with " + process.exitValue() + ": "
                                + Files.readString(dir.resolve("nginx.out")) + readIfThere(dir.resolve("error.log")));
                    }
                    return listening(port);
                });
            } catch (RuntimeException e) {
                stop(process); // the caller never gets this object to close
                throw e;
            }
        }

        int port() {
            return port;
        }

        @Override
        public void close() {
            stop(process);
        }
    }

    /** redis-server in the foreground, no persistence; {@link #stop()} and {@link #start()} keep the port. */
    static final class Redis implements AutoCloseable {
        private final Path binary;
        private final Path dir;
        private final int port = freePort();
        private Process process;
        private int starts;

        Redis(Path binary, Path dir) throws IOException {
            this.binary = binary;
            this.dir = Files.createDirectories(dir);
        }

        int port() {
            return port;
        }

        Redis start() throws IOException {
            process = new ProcessBuilder(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + (++starts) + ".log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir);
                    }
                    return pong();
                });
            } catch (RuntimeException e) {
                stop(); // a first start that fails leaves the caller nothing to close
                throw e;
            }
            return this;
        }

        private boolean pong() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = in.readNBytes(buf, 0, 7);
                return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
            } catch (IOException e) {
                return false;
            }
        }

        void stop() {
            ClusterTools.stop(process);
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static String readIfThere(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
