package io.aimp.gateway.media;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestSecrets;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The upload flow of the seeds over HTTP against the running gateway (init → PUT → complete →
 * media_ref in a run), and every way an upload can be abused.
 */
@CheckedAgainstOpenApi
class MediaUploadHttpTest extends GatewayHttpTest {

    private static final Path MEDIA_DATA_DIR = TestSecrets.tempDir("aimp-media-test-");
    private static final Path CATALOG_DIR = catalogDir();

    @DynamicPropertySource
    static void mediaProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.data-dir", MEDIA_DATA_DIR::toString);
        registry.add("aimp.catalog-dir", CATALOG_DIR::toString);
        registry.add("aimp.media.workspace-quota", () -> "4MB");
    }

    @Autowired
    MediaService mediaService;

    private static Path catalogDir() {
        Path dir = TestSecrets.tempDir("aimp-media-catalog-");
        try {
            Files.writeString(dir.resolve("media-note.yaml"), """
                    slug: media-note
                    name: Media note
                    kind: text
                    description: Summarises a note about an image, for media tests.
                    visibility: public
                    modes:
                      execute:
                        input:
                          type: object
                          required: [image, note]
                          additionalProperties: false
                          properties:
                            note: {type: string, minLength: 1}
                            image:
                              type: object
                              required: [media_ref, filename]
                              additionalProperties: false
                              x-media-types: [image]
                              properties:
                                media_ref: {type: string}
                                filename: {type: string}
                    releases:
                      - version: 1.0.0
                        routes: [{provider: local, model: extractive-summary}]
                        pricing: {per_run: 0.001}
                    text:
                      prompt: "{{input.note}}"
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    // ---- given: small builders -------------------------------------------------------------

    static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature and IHDR (valid CRC) claiming these dimensions, then IEND: no pixel data at all. */
    static byte[] pngHeader(long width, long height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = new byte[17];
        System.arraycopy("IHDR".getBytes(StandardCharsets.US_ASCII), 0, ihdr, 0, 4);
        int32(ihdr, 4, width);
        int32(ihdr, 8, height);
        ihdr[12] = 8;
        ihdr[13] = 6;
        out.writeBytes(new byte[] {0, 0, 0, 13});
        out.writeBytes(ihdr);
        CRC32 crc = new CRC32();
        crc.update(ihdr);
        byte[] c = new byte[4];
        int32(c, 0, crc.getValue());
        out.writeBytes(c);
        out.writeBytes(new byte[] {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82});
        return out.toByteArray();
    }

    private static void int32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static Map<String, Object> initBody(String filename, String contentType, String mediaType, long size) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filename", filename);
        body.put("content_type", contentType);
        body.put("media_type", mediaType);
        body.put("size_bytes", size);
        return body;
    }

    private static Response init(GatewayClient client, String filename, String contentType, String mediaType, long size) {
        return client.post("/api/media/upload/init", initBody(filename, contentType, mediaType, size));
    }

    /** The path of an upload_url: its host is the configured public URL, not this test server. */
    private static String path(Response init) {
        assertThat(init.status()).as(init.describe()).isEqualTo(201);
        String url = init.get("upload_url");
        assertThat(url).startsWith(PUBLIC_URL + "/api/media/upload/");
        return URI.create(url).getRawPath();
    }

    private Response put(String path, byte[] bytes) {
        return anonymous.send("PUT", path, "application/octet-stream", bytes);
    }

    private Response complete(GatewayClient client, String uploadId) {
        return client.post("/api/media/upload/complete", Map.of("upload_id", uploadId));
    }

    /** init → PUT → complete; asserts each step succeeded and answers the media object. */
    private JsonNode upload(GatewayClient client, String filename, String contentType, String mediaType, byte[] bytes) {
        Response init = init(client, filename, contentType, mediaType, bytes.length);
        Response put = put(path(init), bytes);
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        Response done = complete(client, init.get("upload_id"));
        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        return done.json();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A client of a new workspace owned by the same owner, through login and a new key. */
    private GatewayClient otherWorkspace() {
        Response ws = owner.post("/api/workspaces", Map.of("name", "other " + TestSecrets.base62(6)));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        TestAccounts.Session s = TestAccounts.login(anonymous, OWNER_EMAIL, OWNER_PASSWORD, ws.get("id"));
        TestAccounts.Key key = new TestAccounts(anonymous.withBearer(s.accessToken())).key("admin");
        return anonymous.withKey(key.secret());
    }

    private static String forgedToken(String uploadId, long expiresAtSeconds) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] key = mac.doFinal(UploadTokens.KEY_NAME.getBytes(StandardCharsets.UTF_8));
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String payload = uploadId + "." + expiresAtSeconds;
        return payload + "." + HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- the seed's flow ---------------------------------------------------------------------

    @Test
    void should_upload_complete_and_use_the_media_ref_in_a_run() throws Exception {
        byte[] bytes = png(3, 2);

        Response init = init(owner, "image.png", "image/png", "image", bytes.length);
        JsonNode ticket = init.json();
        assertThat(ticket.path("upload_id").asString()).startsWith("studio_upload_");
        assertThat(ticket.path("method").asString()).isEqualTo("PUT");
        assertThat(ticket.path("max_bytes").asLong()).isEqualTo(bytes.length);
        assertThat(Instant.parse(ticket.path("expires_at").asString())).isAfter(Instant.now());
        Response put = put(path(init), bytes);
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        assertThat(put.get("sha256")).isEqualTo(sha256(bytes));
        Response done = complete(owner, init.get("upload_id"));

        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        JsonNode media = done.json();
        String ref = media.path("media_ref").asString();
        assertThat(ref).startsWith("media_");
        assertThat(media.path("media_type").asString()).isEqualTo("image");
        assertThat(media.path("content_type").asString()).isEqualTo("image/png");
        assertThat(media.path("size_bytes").asLong()).isEqualTo(bytes.length);
        assertThat(media.path("sha256").asString()).isEqualTo(sha256(bytes));
        assertThat(media.path("filename").asString()).isEqualTo("image.png");
        assertThat(media.path("width").asInt()).isEqualTo(3);
        assertThat(media.path("height").asInt()).isEqualTo(2);
        assertThat(media.path("created_at").asString()).isNotBlank();

        // completing again answers the same media
        assertThat(complete(owner, init.get("upload_id")).get("media_ref")).isEqualTo(ref);

        Response meta = owner.get("/api/media/" + ref);
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.json()).isEqualTo(media);

        Response content = owner.get("/api/media/" + ref + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(bytes);
        assertThat(content.contentType()).isEqualTo("image/png");
        assertThat(content.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(content.header("content-disposition")).startsWith("attachment;").contains("image.png");

        Map<String, Object> run = Map.of("model", "media-note", "scope", "playground",
                "input", Map.of("image", Map.of("media_ref", ref, "filename", "image.png"),
                        "note", "A tiny test image with a red pixel."),
                "params", Map.of());
        Response ran = owner.post("/api/runs", run);
        assertThat(ran.status()).as(ran.describe()).isEqualTo(200);
        assertThat(ran.get("status")).isEqualTo("succeeded");

        Response listed = owner.get("/api/media?media_type=image&limit=100");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("data").valueStream().map(n -> n.path("media_ref").asString())).contains(ref);
    }

    @Test
    void should_accept_the_bytes_as_curl_data_binary_labels_them() {
        // curl -X PUT --data-binary @image.png sends Content-Type: application/x-www-form-urlencoded
        byte[] bytes = png(2, 1);
        Response init = init(owner, "image.png", "image/png", "image", bytes.length);

        Response put = anonymous.send("PUT", path(init), "application/x-www-form-urlencoded", bytes);

        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        assertThat(complete(owner, init.get("upload_id")).status()).isEqualTo(201);
    }

    @Test
    void should_answer_404_for_unknown_or_foreign_media_refs_in_run_inputs() {
        GatewayClient other = otherWorkspace();
        String foreign = upload(other, "theirs.png", "image/png", "image", png(2, 2)).path("media_ref").asString();

        for (String ref : List.of(foreign, "media_01JUNKNOWN00000000000000")) {
            Response r = owner.post("/api/runs", Map.of("model", "media-note",
                    "input", Map.of("image", Map.of("media_ref", ref, "filename", "x.png"), "note", "A note.")));
            JsonNode problem = assertProblem(r, 404, "media_not_found", "invalid_request");
            assertThat(problem.path("errors").get(0).path("path").asString()).isEqualTo("$.input.image.media_ref");
        }
    }

    @Test
    void should_refuse_a_media_ref_of_a_type_the_mode_does_not_take() {
        String ref = upload(owner, "notes.txt", "text/plain", "file",
                "plain words\n".getBytes(StandardCharsets.UTF_8)).path("media_ref").asString();

        Response r = owner.post("/api/runs", Map.of("model", "media-note",
                "input", Map.of("image", Map.of("media_ref", ref, "filename", "notes.txt"), "note", "A note.")));

        assertProblem(r, 400, "media_type_not_allowed", "invalid_request");
    }

    @Test
    void should_delete_media_and_then_answer_404() {
        String ref = upload(owner, "gone.png", "image/png", "image", png(1, 1)).path("media_ref").asString();

        assertThat(owner.delete("/api/media/" + ref).status()).isEqualTo(204);

        assertProblem(owner.get("/api/media/" + ref), 404, "media_not_found", "invalid_request");
        assertProblem(owner.get("/api/media/" + ref + "/content"), 404, "media_not_found", "invalid_request");
        assertProblem(owner.delete("/api/media/" + ref), 404, "media_not_found", "invalid_request");
    }

    // ---- the security matrix -----------------------------------------------------------------

    @Test
    void should_refuse_a_second_put_to_the_same_url() {
        byte[] bytes = png(2, 2);
        String path = path(init(owner, "a.png", "image/png", "image", bytes.length));
        assertThat(put(path, bytes).status()).isEqualTo(200);

        assertProblem(put(path, bytes), 409, "upload_url_used", "invalid_request");
    }

    @Test
    void should_refuse_a_tampered_token() {
        String path = path(init(owner, "a.png", "image/png", "image", 10));
        char last = path.charAt(path.length() - 1);
        String tampered = path.substring(0, path.length() - 1) + (last == '0' ? '1' : '0');

        assertProblem(put(tampered, new byte[10]), 403, "invalid_upload_token", "permission");
        assertProblem(put("/api/media/upload/not-a-token", new byte[10]), 403, "invalid_upload_token", "permission");
        // the real URL still works: a forged attempt does not consume it
        assertThat(put(path, new byte[10]).status()).isEqualTo(200);
    }

    @Test
    void should_refuse_an_expired_url() throws Exception {
        String uploadId = init(owner, "a.png", "image/png", "image", 10).get("upload_id");
        String token = forgedToken(uploadId, Instant.now().minusSeconds(1).getEpochSecond());

        assertProblem(put("/api/media/upload/" + token, new byte[10]), 403, "upload_expired", "permission");
    }

    @Test
    void should_expire_abandoned_uploads_in_the_cleanup_job() {
        Response init = init(owner, "late.png", "image/png", "image", 10);

        assertThat(mediaService.cleanup(Instant.now().plusSeconds(3600))).isGreaterThanOrEqualTo(1);

        assertProblem(put(path(init), new byte[10]), 403, "upload_expired", "permission");
        assertProblem(complete(owner, init.get("upload_id")), 410, "upload_expired", "invalid_request");
    }

    @Test
    void should_refuse_one_byte_more_than_declared_and_keep_nothing() {
        Response init = init(owner, "a.png", "image/png", "image", 1000);
        String uploadId = init.get("upload_id");

        assertProblem(put(path(init), new byte[1001]), 413, "upload_too_large", "invalid_request");

        assertThat(blobFiles()).noneMatch(p -> p.getFileName().toString().equals(uploadId));
        assertProblem(complete(owner, uploadId), 410, "upload_failed", "invalid_request");
    }

    @Test
    void should_refuse_fewer_bytes_than_declared() {
        Response init = init(owner, "a.png", "image/png", "image", 1000);

        assertProblem(put(path(init), new byte[999]), 400, "upload_size_mismatch", "invalid_request");
    }

    @Test
    void should_refuse_content_that_is_not_what_was_declared() {
        byte[] elf = new byte[64];
        System.arraycopy(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 0, elf, 0, 8);
        byte[] script = "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8);
        byte[] svg = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);

        record Case(String name, String contentType, String mediaType, byte[] bytes) {
        }
        for (Case c : List.of(new Case("elf as png", "image/png", "image", elf),
                new Case("script as png", "image/png", "image", script),
                new Case("svg as png", "image/png", "image", svg),
                new Case("script as text", "text/plain", "file", script),
                new Case("html as text", "text/plain", "file", html),
                new Case("png as jpeg", "image/jpeg", "image", png(1, 1)))) {
            Response init = init(owner, "x.bin", c.contentType(), c.mediaType(), c.bytes().length);
            assertThat(put(path(init), c.bytes()).status()).as(c.name()).isEqualTo(200);

            Response r = complete(owner, init.get("upload_id"));

            assertThat(r.status()).as(c.name() + "\n" + r.describe()).isEqualTo(422);
            assertProblem(r, 422, "content_mismatch", "invalid_request");
            assertThat(blobFiles()).as(c.name()).noneMatch(p -> p.getFileName().toString().equals(init.get("upload_id")));
        }
    }

    @Test
    void should_refuse_html_svg_and_script_markup_declared_as_plain_text_markdown_or_csv() {
        // given: markup a browser would run, none of it with a doctype Tika would call HTML
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("bare script", "<script>alert(document.domain)</script>");
        hostile.put("html root", "<html><body><p>hello</p></body></html>");
        hostile.put("svg root", "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>");
        hostile.put("svg with handler", "<svg/onload=alert(1)>");
        hostile.put("event handler", "# Notes\n\nSee the picture:\n\n<img src=x onerror=\"alert(1)\">\n");
        hostile.put("javascript url", "name,link\nhome,<a href=\"javascript:alert(1)\">home</a>\n");
        hostile.put("utf-16 script", "\uFEFF<SCRIPT>alert(1)</SCRIPT>");
        hostile.put("script past the first 64 KiB", "a,b\n".repeat(20_000) + "<script src=//x.test/a.js></script>\n");
        for (String type : List.of("text/plain", "text/markdown", "text/csv")) {
            for (Map.Entry<String, String> c : hostile.entrySet()) {
                String name = c.getKey() + " as " + type;
                byte[] bytes = c.getKey().startsWith("utf-16") ? c.getValue().getBytes(StandardCharsets.UTF_16LE)
                        : c.getValue().getBytes(StandardCharsets.UTF_8);
                Response init = init(owner, "notes.txt", type, "file", bytes.length);
                assertThat(put(path(init), bytes).status()).as(name).isEqualTo(200);

                // when
                Response r = complete(owner, init.get("upload_id"));

                // then: refused and nothing kept
                assertThat(r.status()).as(name + "\n" + r.describe()).isEqualTo(422);
                assertProblem(r, 422, "content_mismatch", "invalid_request");
                assertThat(blobFiles()).as(name).noneMatch(p -> p.getFileName().toString().equals(init.get("upload_id")));
            }
        }
    }

    @Test
    void should_accept_text_that_mentions_formatting_tags_or_the_words_in_prose() {
        Map<String, String> harmless = Map.of(
                "text/markdown", "# Style\n\nUse <b>bold</b> or **bold**; a < b, b > c. The script tag and onload = 3 are refused.\n",
                "text/csv", "tag,meaning\n<b>,bold\n<br>,line break\nonclick,an event name\n",
                "text/plain", "if x<y and y>z then x <= z; <em>emphasis</em>\n");
        for (Map.Entry<String, String> c : harmless.entrySet()) {
            JsonNode media = upload(owner, "notes.txt", c.getKey(), "file", c.getValue().getBytes(StandardCharsets.UTF_8));
            assertThat(media.path("media_ref").asString()).as(c.getKey()).startsWith("media_");
        }
    }

    @Test
    void should_refuse_a_decompression_bomb_from_its_header() {
        byte[] bomb = pngHeader(50_000, 50_000);
        Response init = init(owner, "bomb.png", "image/png", "image", bomb.length);
        assertThat(put(path(init), bomb).status()).isEqualTo(200);

        Response r = complete(owner, init.get("upload_id"));

        JsonNode problem = assertProblem(r, 422, "image_too_large", "invalid_request");
        assertThat(problem.path("detail").asString()).contains("50000 × 50000");
    }

    @Test
    void should_store_hostile_filenames_as_labels_only() throws Exception {
        for (String name : List.of("../../etc/passwd", "..%2f..%2fetc%2fpasswd", "evil%00.png", "..\\..\\win.ini",
                "/etc/shadow", "C:\\Windows\\system32\\x.png", "résumé ünïcode \"q\".png")) {
            JsonNode media = upload(owner, name, "image/png", "image", png(1, 1));
            String stored = media.path("filename").asString();
            assertThat(stored).as(name).doesNotContain("/", "\\", "\"").doesNotStartWith(".");

            Response content = owner.get("/api/media/" + media.path("media_ref").asString() + "/content");
            assertThat(content.header("content-disposition")).as(name).startsWith("attachment;").doesNotContain("\r", "\n");
        }
        assertProblem(init(owner, "a".repeat(300) + ".png", "image/png", "image", 10), 400, "invalid_filename", "invalid_request");
        assertProblem(init(owner, "../..", "image/png", "image", 10), 400, "invalid_filename", "invalid_request");

        // every file the store wrote is under blobs/, named by the server
        try (var files = Files.walk(MEDIA_DATA_DIR)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path rel = MEDIA_DATA_DIR.relativize(p);
                assertThat(rel.toString().startsWith("blobs") || rel.toString().startsWith("gateway.db"))
                        .as(rel.toString()).isTrue();
            }
        }
        assertThat(blobFiles()).allMatch(p -> p.getFileName().toString().matches("studio_upload_[A-Za-z0-9]{24}"));
    }

    @Test
    void should_answer_404_for_another_workspaces_upload_and_media() {
        GatewayClient other = otherWorkspace();
        Response theirInit = init(other, "t.png", "image/png", "image", png(1, 1).length);
        String theirRef = upload(other, "t.png", "image/png", "image", png(1, 1)).path("media_ref").asString();

        assertProblem(complete(owner, theirInit.get("upload_id")), 404, "upload_not_found", "invalid_request");
        assertProblem(owner.get("/api/media/" + theirRef), 404, "media_not_found", "invalid_request");
        assertProblem(owner.get("/api/media/" + theirRef + "/content"), 404, "media_not_found", "invalid_request");
        assertProblem(owner.delete("/api/media/" + theirRef), 404, "media_not_found", "invalid_request");
        assertThat(owner.get("/api/media?limit=100").text()).doesNotContain(theirRef);
    }

    @Test
    void should_refuse_declarations_outside_the_limits() {
        assertProblem(init(owner, "a.svg", "image/svg+xml", "image", 10), 415, "unsupported_content_type", "invalid_request");
        assertProblem(init(owner, "a.png", "image/png", "sticker", 10), 400, "invalid_media_type", "invalid_request");
        assertProblem(init(owner, "a.png", "image/png", "image", 20L * 1024 * 1024 + 1), 413, "invalid_size", "invalid_request");
        assertProblem(init(owner, "a.png", "image/png", "image", 0), 400, "invalid_size", "invalid_request");
        assertProblem(anonymous.post("/api/media/upload/init", initBody("a.png", "image/png", "image", 10)),
                401, "authentication_required", "authentication");
    }

    @Test
    void should_refuse_uploads_past_the_workspace_quota_and_free_space_on_delete() {
        GatewayClient other = otherWorkspace();
        byte[] big = new byte[3 * 1024 * 1024];
        big[0] = 'a'; // plain text, so it completes as a file
        java.util.Arrays.fill(big, (byte) 'a');
        String ref = upload(other, "big.txt", "text/plain", "file", big).path("media_ref").asString();

        assertProblem(init(other, "more.txt", "text/plain", "file", 2L * 1024 * 1024), 413,
                "storage_quota_exceeded", "limit");

        assertThat(other.delete("/api/media/" + ref).status()).isEqualTo(204);
        assertThat(init(other, "more.txt", "text/plain", "file", 2L * 1024 * 1024).status()).isEqualTo(201);
    }

    private static List<Path> blobFiles() {
        Path blobs = MEDIA_DATA_DIR.resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (var files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(blobs.resolve(".tmp"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
