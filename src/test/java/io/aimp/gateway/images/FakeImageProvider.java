package io.aimp.gateway.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fake image providers on 127.0.0.1, real pictures drawn with java.awt and encoded by javax.imageio. Each base
 * path behaves one way: {@code /png/v1} and {@code /jpeg/v1} answer the OpenAI images API with {@code n}
 * {@code b64_json} images of the size asked for; {@code /html/v1} answers an HTML page; {@code /htmlb64/v1} an
 * HTML page as {@code b64_json}; {@code /big/v1} a PNG larger than the gateway's image size cap; {@code /bomb/v1}
 * a PNG header claiming 60000 × 60000 pixels; {@code /loopback/v1} a {@code url} on 127.0.0.1 (served here);
 * {@code /fail500/v1} answers 500; {@code /short/v1} answers one image fewer than asked for (at least one); {@code /sd} serves a Stable Diffusion WebUI {@code /sdapi/v1/txt2img}.
 * {@code /mod/v1/moderations} answers the OpenAI moderations API, flagging each input that contains "gore" for
 * {@code violence} and {@code violence/graphic}; {@code /moddown/v1/moderations} answers 503.
 * It counts calls per behaviour.
 */
public final class FakeImageProvider implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> urlFetches = new ConcurrentHashMap<>();
    /** The parts (field or file name → bytes) of the last {@code /images/edits} request. */
    volatile Map<String, byte[]> lastEdit;
    /** The body of the last {@code /moderations} request. */
    volatile JsonNode lastModeration;

    public FakeImageProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl(String behaviour) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + behaviour + ("sd".equals(behaviour) ? "" : "/v1");
    }

    public int calls(String behaviour) {
        AtomicInteger n = calls.get(behaviour);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String behaviour = path.split("/")[1];
            if ("files".equals(behaviour)) {
                urlFetches.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                send(ex, 200, "image/png", png(64, 64, Color.RED));
                return;
            }
            calls.computeIfAbsent(behaviour, k -> new AtomicInteger()).incrementAndGet();
            if (path.endsWith("/images/edits")) {
                // the OpenAI images edits API: multipart fields and files; answers n PNGs of the size asked for
                Map<String, byte[]> parts = multipart(ex);
                lastEdit = parts;
                int n = Integer.parseInt(new String(parts.getOrDefault("n", "1".getBytes()), StandardCharsets.UTF_8));
                String[] size = new String(parts.getOrDefault("size", "256x256".getBytes()), StandardCharsets.UTF_8).split("x");
                send(ex, 200, "application/json", data(n, i -> png(Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                        Color.MAGENTA)));
                return;
            }
            if (path.endsWith("/moderations")) {
                moderate(ex, behaviour);
                return;
            }
            JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
            int n = req.path("n").asInt(req.path("batch_size").asInt(1));
            String size = req.path("size").asString("256x256");
            int w = req.has("width") ? req.path("width").asInt() : Integer.parseInt(size.split("x")[0]);
            int h = req.has("height") ? req.path("height").asInt() : Integer.parseInt(size.split("x")[1]);
            switch (behaviour) {
                case "png" -> send(ex, 200, "application/json", data(n, i -> png(w, h, new Color(40 * i, 90, 200))));
                case "short" -> send(ex, 200, "application/json", data(Math.max(1, n - 1), i -> png(w, h, Color.BLUE)));
                case "jpeg" -> send(ex, 200, "application/json", data(n, i -> jpeg(w, h)));
                case "html" -> send(ex, 200, "text/html", "<!doctype html><html><body>Service moved</body></html>"
                        .getBytes(StandardCharsets.UTF_8));
                case "htmlb64" -> send(ex, 200, "application/json", data(n,
                        i -> "<!DOCTYPE html><html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)));
                case "big" -> send(ex, 200, "application/json", data(n, i -> noise(400, 400)));
                case "bomb" -> send(ex, 200, "application/json", data(n, i -> pngHeader(60_000, 60_000)));
                case "loopback" -> send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("created", 1,
                        "data", List.of(Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/files/a.png")))));
                case "fail500" -> send(ex, 500, "application/json", "{\"error\":{\"message\":\"down\"}}".getBytes(StandardCharsets.UTF_8));
                case "sd" -> {
                    List<String> images = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        images.add(Base64.getEncoder().encodeToString(png(w, h, Color.GREEN)));
                    }
                    send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("images", images,
                            "parameters", Map.of(), "info", "{}")));
                }
                default -> send(ex, 404, "text/plain", new byte[0]);
            }
        }
    }

    private void moderate(HttpExchange ex, String behaviour) throws IOException {
        JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
        lastModeration = req;
        if (!"mod".equals(behaviour)) {
            send(ex, 503, "application/json", "{\"error\":{\"message\":\"overloaded\"}}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode input : req.path("input")) {
            boolean gore = input.asString().toLowerCase(java.util.Locale.ROOT).contains("gore");
            Map<String, Boolean> categories = new java.util.LinkedHashMap<>();
            categories.put("harassment", false);
            categories.put("violence", gore);
            categories.put("violence/graphic", gore);
            results.add(Map.of("flagged", gore, "categories", categories, "category_scores",
                    Map.of("harassment", 0.01, "violence", gore ? 0.97 : 0.02, "violence/graphic", gore ? 0.91 : 0.01)));
        }
        send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("id", "modr-1",
                "model", req.path("model").asString(), "results", results)));
    }

    /** The parts of a {@code multipart/form-data} body by name (bytes kept one to one through ISO-8859-1). */
    private static Map<String, byte[]> multipart(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String boundary = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        for (String part : body.split(java.util.regex.Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            int name = part.indexOf("name=\"");
            if (split < 0 || name < 0 || name > split) {
                continue;
            }
            String key = part.substring(name + 6, part.indexOf('"', name + 6));
            String content = part.substring(split + 4, part.length() - 2);
            parts.put(key, content.getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    private static byte[] data(int n, java.util.function.IntFunction<byte[]> image) {
        List<Map<String, String>> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(Map.of("b64_json", Base64.getEncoder().encodeToString(image.apply(i))));
        }
        return JSON.writeValueAsBytes(Map.of("created", 1, "data", data));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    static byte[] png(int w, int h, Color color) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return encode(img, "png");
    }

    static byte[] jpeg(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return encode(img, "jpeg");
    }

    /** Random pixels: a PNG that does not compress, about 3 bytes a pixel. */
    static byte[] noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return encode(img, "png");
    }

    /** A PNG signature and a valid IHDR chunk (CRC included) claiming {@code w × h} pixels, then nothing. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return out.array();
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
