package io.aimp.gateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * Blobs in an S3-compatible bucket, over {@code java.net.http} with Signature V4. The AWS SDK is not
 * used: four plain requests (PUT, GET, HEAD, DELETE) do not justify its size, and its retries would
 * hide the errors we want to see. A put is first spooled to a local temporary file (constant memory,
 * known length and payload hash), then sent in one request, so a failed read of the source leaves
 * nothing in the bucket.
 */
final class S3BlobStore implements BlobStore {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final SigV4 signer;
    private final URI endpoint;
    private final String bucket;
    private final boolean pathStyle;
    private final Path spool;
    private final Clock clock;

    S3BlobStore(MediaProperties.S3 cfg, Path spool, Clock clock) throws IOException {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.signer = new SigV4(cfg.accessKey(), cfg.secretKey(), cfg.region());
        this.endpoint = URI.create(cfg.endpoint().replaceAll("/+$", ""));
        this.bucket = cfg.bucket();
        this.pathStyle = cfg.pathStyle();
        this.spool = Files.createDirectories(spool);
        this.clock = clock;
    }

    @Override
    public long put(String key, InputStream in) throws IOException {
        BlobStore.checkKey(key);
        Path temp = spool.resolve(UUID.randomUUID() + ".part");
        try {
            MessageDigest sha = sha256();
            long n = 0;
            try (OutputStream out = new DigestOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), sha)) {
                byte[] buf = new byte[64 * 1024];
                for (int r; (r = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, r);
                    n += r;
                }
            }
            HttpResponse<String> r = send("PUT", key, HttpRequest.BodyPublishers.ofFile(temp),
                    HexFormat.of().formatHex(sha.digest()), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw failure("PUT", r.statusCode());
            }
            return n;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        HttpResponse<InputStream> r = send("GET", BlobStore.checkKey(key), HttpRequest.BodyPublishers.noBody(),
                SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200) {
            return r.body();
        }
        r.body().close();
        if (r.statusCode() == 404) {
            throw new NoSuchFileException(key);
        }
        throw failure("GET", r.statusCode());
    }

    @Override
    public boolean exists(String key) throws IOException {
        HttpResponse<Void> r = send("HEAD", BlobStore.checkKey(key), HttpRequest.BodyPublishers.noBody(),
                SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw failure("HEAD", r.statusCode());
    }

    @Override
    public void delete(String key) throws IOException {
        HttpResponse<Void> r = send("DELETE", BlobStore.checkKey(key), HttpRequest.BodyPublishers.noBody(),
                SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
            throw failure("DELETE", r.statusCode());
        }
    }

    private <T> HttpResponse<T> send(String method, String key, HttpRequest.BodyPublisher body, String payloadHash,
                                     HttpResponse.BodyHandler<T> handler) throws IOException {
        String path;
        URI base;
        if (pathStyle) {
            base = endpoint;
            path = basePath() + "/" + bucket + "/" + key;
        } else {
            base = URI.create(endpoint.getScheme() + "://" + bucket + "." + endpoint.getRawAuthority());
            path = basePath() + "/" + key;
        }
        URI uri = URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, body);
        for (Map.Entry<String, String> h : signer.sign(method, hostHeader(uri), path, payloadHash, clock.instant()).entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        try {
            return http.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during S3 " + method, e);
        }
    }

    private String basePath() {
        String p = endpoint.getRawPath();
        return p == null ? "" : p.replaceAll("/+$", "");
    }

    /** The Host header as java.net.http writes it: the port only when it is not the scheme's default. */
    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (port == -1 || (https && port == 443) || (!https && port == 80)) {
            return uri.getHost();
        }
        return uri.getHost() + ":" + port;
    }

    private IOException failure(String method, int status) {
        return new IOException("S3 " + method + " on bucket " + bucket + " answered HTTP " + status);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
