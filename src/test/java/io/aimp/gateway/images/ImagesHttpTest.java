package io.aimp.gateway.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestSecrets;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The {@code image} kind end to end against fake image providers serving real PNG and JPEG bytes: images stored
 * as media and downloadable, priced per image by size and quality and charged for the images returned; every
 * unsafe answer refused as a provider failure with nothing stored or charged; fallback to a second API shape.
 */
@CheckedAgainstOpenApi
class ImagesHttpTest extends GatewayHttpTest {

    static final List<String> BEHAVIOURS = List.of("png", "jpeg", "html", "htmlb64", "big", "bomb", "loopback",
            "fail500", "short");
    static final FakeImageProvider FAKE = new FakeImageProvider();
    static final Path CATALOG = catalog();

    @DynamicPropertySource
    static void imageProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        for (String b : BEHAVIOURS) {
            registry.add("aimp.providers.img-" + b + ".type", () -> "openai");
            registry.add("aimp.providers.img-" + b + ".base-url", () -> FAKE.baseUrl(b));
        }
        for (String b : List.of("mod", "moddown")) {
            registry.add("aimp.providers.img-" + b + ".type", () -> "openai");
            registry.add("aimp.providers.img-" + b + ".base-url", () -> FAKE.baseUrl(b));
        }
        registry.add("aimp.providers.img-sd.type", () -> "sdwebui");
        registry.add("aimp.providers.img-sd.base-url", () -> FAKE.baseUrl("sd"));
        // 400 × 400 pixels of noise is about 480 kB: over this cap
        registry.add("aimp.media.image-max-size", () -> "200KB");
        registry.add("aimp.router.backoff-base", () -> "1ms");
        // the races below are about money and daily counts, not about the cap on generations in progress
        registry.add("aimp.images.max-concurrent-per-workspace", () -> "1000");
        registry.add("aimp.router.circuit-minimum-calls", () -> "1000");
        registry.add("aimp.images.max-inline-bytes", () -> INLINE_CAP + "B");
    }

    /** Bytes of all images of one run answered inline: about two of the fake's 512 × 256 PNGs. */
    static final int INLINE_CAP = 6000;

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    static String model(String slug, String... providers) {
        StringBuilder routes = new StringBuilder();
        for (String p : providers) {
            routes.append("      - {provider: ").append(p).append(", model: paint-1, timeout_ms: 10000}\n");
        }
        return """
                slug: %s
                name: %s
                kind: image
                description: Paints pictures.
                visibility: public
                modes:
                  generate:
                    input:
                      type: object
                      required: [prompt]
                      additionalProperties: false
                      properties: {prompt: {type: string}, negative_prompt: {type: string}}
                    params:
                      type: object
                      additionalProperties: false
                      properties: {size: {type: string}, n: {type: integer}, quality: {type: string}, response: {type: string}}
                  edit:
                    input:
                      type: object
                      required: [prompt, image]
                      properties: {prompt: {type: string}, image: {type: object}, mask: {type: object}}
                    params:
                      type: object
                      additionalProperties: false
                      properties: {size: {type: string}, n: {type: integer}}
                releases:
                  - version: 1.0.0
                    routes:
                %s
                image:
                  sizes: ["256x256", "512x256"]
                  max_n: 4
                  qualities: [standard, hd]
                  prices:
                    "256x256": {standard: 0.02, hd: 0.04}
                    "512x256": {standard: 0.03, hd: 0.05}
                """.formatted(slug, slug, routes.toString().stripTrailing());
    }

    private static Path catalog() {
        Path dir = TestSecrets.tempDir("aimp-images-catalog-");
        try {
            for (String b : BEHAVIOURS) {
                Files.writeString(dir.resolve("painter-" + b + ".yaml"), model("painter-" + b, "img-" + b));
            }
            Files.writeString(dir.resolve("painter-sd.yaml"), model("painter-sd", "img-sd"));
            Files.writeString(dir.resolve("painter-fallback.yaml"), model("painter-fallback", "img-fail500", "img-sd"));
            Files.writeString(dir.resolve("painter-sd-then-png.yaml"), model("painter-sd-then-png", "img-sd", "img-png"));
            Files.writeString(dir.resolve("painter-daily.yaml"), model("painter-daily", "img-png")
                    .replace("    routes:\n", "    limits: {images_per_day: 5, images_per_minute: 100}\n    routes:\n"));
            // per_run is paid by a run that ran the model, not by one stopped by its moderation check
            Files.writeString(dir.resolve("painter-moderated.yaml"), model("painter-moderated", "img-png")
                    .replace("    routes:\n", "    pricing: {per_run: 0.001}\n    routes:\n")
                    + "  moderation: {provider: img-mod, model: omni-moderation-latest, timeout_ms: 5000, price: 0.005}\n");
            Files.writeString(dir.resolve("painter-moderation-down.yaml"), model("painter-moderation-down", "img-png")
                    + "  moderation: {provider: img-moddown, model: omni-moderation-latest, price: 0.005}\n");
            Files.writeString(dir.resolve("painter-minute.yaml"), model("painter-minute", "img-png")
                    .replace("    routes:\n", "    limits: {images_per_minute: 3}\n    routes:\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @BeforeEach
    void fund() {
        if (new BigDecimal(owner.get("/api/billing/wallet").get("balance")).compareTo(BigDecimal.TEN) < 0) {
            GatewayClient.Response topUp = owner.post("/api/billing/wallet/credits", Map.of("amount", "100", "reason", "tests"));
            assertThat(topUp.status()).as(topUp.describe()).isEqualTo(200);
        }
    }

    GatewayClient.Response generate(String model, Map<String, Object> params) {
        return owner.post("/api/runs", Map.of("model", model, "mode", "generate",
                "input", Map.of("prompt", "a lighthouse at dusk"), "params", params));
    }

    @Test
    void should_store_three_downloadable_images_and_charge_three_at_the_size_and_quality_price() {
        String before = owner.get("/api/billing/wallet").get("balance");

        GatewayClient.Response run = generate("painter-png", Map.of("n", 3, "size", "512x256", "quality", "hd"));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        JsonNode images = run.json().path("output").path("images");
        assertThat(images.size()).isEqualTo(3);
        assertThat(images.valueStream().map(i -> i.path("media_ref").asString()).distinct()).hasSize(3);
        for (JsonNode image : images) {
            assertThat(image.path("width").asInt()).isEqualTo(512);
            assertThat(image.path("height").asInt()).isEqualTo(256);
            assertThat(image.path("content_type").asString()).isEqualTo("image/png");
            String path = URI.create(image.path("url").asString()).getPath();
            assertThat(path).isEqualTo("/api/media/" + image.path("media_ref").asString() + "/content");
            GatewayClient.Response content = owner.get(path);
            assertThat(content.status()).as(content.describe()).isEqualTo(200);
            assertThat(content.contentType()).startsWith("image/png");
            BufferedImage decoded = decode(content.body());
            assertThat(decoded.getWidth()).isEqualTo(512);
            assertThat(decoded.getHeight()).isEqualTo(256);
            GatewayClient.Response item = owner.get("/api/media/" + image.path("media_ref").asString());
            assertThat(item.json().path("media_type").asString()).isEqualTo("image");
            assertThat(item.json().path("width").asInt()).isEqualTo(512);
        }
        assertThat(run.json().path("usage").path("units").asLong()).isEqualTo(3);
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.150000");
        assertThat(balance()).isEqualByComparingTo(new BigDecimal(before).subtract(new BigDecimal("0.15")));
        JsonNode log = owner.get("/api/logs/executions?run_id=" + run.get("id")).json().path("data");
        assertThat(log.valueStream().map(e -> e.path("step").asString() + ":" + e.path("outcome").asString()))
                .contains("provider_attempt:ok");
    }

    @Test
    void should_answer_the_bytes_inline_with_response_b64_up_to_the_cap() {
        GatewayClient.Response run = generate("painter-png", Map.of("n", 4, "size", "512x256", "response", "b64"));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        JsonNode images = run.json().path("output").path("images");
        assertThat(images.size()).isEqualTo(4);
        long total = 0;
        int inlined = 0;
        for (JsonNode image : images) {
            byte[] stored = owner.get(URI.create(image.path("url").asString()).getPath()).body();
            if (total + stored.length <= INLINE_CAP) {
                // inline, in order, while the run's images together fit: the same bytes as stored
                total += stored.length;
                inlined++;
                assertThat(java.util.Base64.getDecoder().decode(image.path("b64_json").asString())).isEqualTo(stored);
            } else {
                assertThat(image.has("b64_json")).isFalse();
                assertThat(image.path("b64_omitted").asString()).contains("aimp.images.max-inline-bytes");
            }
        }
        assertThat(inlined).as("images inlined under a %d-byte cap", INLINE_CAP).isBetween(1, 3);
        // without response: b64 the answer carries URLs only; another value is a 400 naming the param
        assertThat(generate("painter-png", Map.of()).json().path("output").path("images").get(0).has("b64_json")).isFalse();
        GatewayClient.Response bad = generate("painter-png", Map.of("response", "png"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("path").asString()).isEqualTo("$.params.response");
    }

    @Test
    void should_edit_a_stored_image_through_the_openai_edits_api_and_skip_routes_that_cannot() {
        String source = generate("painter-png", Map.of()).json().path("output").path("images").get(0).path("media_ref")
                .asString();
        byte[] sourceBytes = owner.get("/api/media/" + source + "/content").body();
        String before = owner.get("/api/billing/wallet").get("balance");

        GatewayClient.Response run = owner.post("/api/runs", Map.of("model", "painter-png", "mode", "edit",
                "input", Map.of("prompt", "add a red door", "image", Map.of("media_ref", source),
                        "mask", Map.of("media_ref", source)),
                "params", Map.of("n", 2, "size", "512x256")));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        JsonNode images = run.json().path("output").path("images");
        assertThat(images.size()).isEqualTo(2);
        for (JsonNode image : images) {
            assertThat(image.path("media_ref").asString()).isNotEqualTo(source);
            assertThat(image.path("width").asInt()).isEqualTo(512);
            assertThat(image.path("content_type").asString()).isEqualTo("image/png");
        }
        // the stored image and mask went to the provider as multipart files, the rest as fields
        assertThat(FAKE.lastEdit.get("image")).isEqualTo(sourceBytes);
        assertThat(FAKE.lastEdit.get("mask")).isEqualTo(sourceBytes);
        assertThat(new String(FAKE.lastEdit.get("prompt"))).isEqualTo("add a red door");
        assertThat(new String(FAKE.lastEdit.get("model"))).isEqualTo("paint-1");
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.060000");
        assertThat(balance()).isEqualByComparingTo(new BigDecimal(before).subtract(new BigDecimal("0.06")));

        // a Stable Diffusion route does not edit: the run falls back to the next route, or fails when none can
        GatewayClient.Response fallback = owner.post("/api/runs", Map.of("model", "painter-sd-then-png", "mode", "edit",
                "input", Map.of("prompt", "add a red door", "image", Map.of("media_ref", source))));
        assertThat(fallback.status()).as(fallback.describe()).isEqualTo(200);
        assertThat(fallback.json().path("provider").asString()).isEqualTo("img-png");
        GatewayClient.Response none = owner.post("/api/runs", Map.of("model", "painter-sd", "mode", "edit",
                "input", Map.of("prompt", "add a red door", "image", Map.of("media_ref", source))));
        assertThat(none.status()).as(none.describe()).isEqualTo(502);
        assertThat(none.json().path("code").asString()).isEqualTo("all_routes_failed");
        GatewayClient.Response noImage = owner.post("/api/runs", Map.of("model", "painter-png", "mode", "edit",
                "input", Map.of("prompt", "add a red door", "image", Map.of("url", "x"))));
        assertThat(noImage.status()).as(noImage.describe()).isEqualTo(400);
        assertThat(noImage.json().path("errors").get(0).path("path").asString()).isEqualTo("$.input.image.media_ref");
    }

    @Test
    void should_store_jpeg_answers_as_jpeg_at_the_default_size() {
        GatewayClient.Response run = generate("painter-jpeg", Map.of());

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        JsonNode image = run.json().path("output").path("images").get(0);
        assertThat(image.path("content_type").asString()).isEqualTo("image/jpeg");
        assertThat(image.path("width").asInt()).isEqualTo(256);
        GatewayClient.Response content = owner.get(URI.create(image.path("url").asString()).getPath());
        assertThat(content.contentType()).startsWith("image/jpeg");
        assertThat(decode(content.body()).getHeight()).isEqualTo(256);
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.020000");
    }

    @Test
    void should_charge_only_the_images_the_provider_returned() {
        GatewayClient.Response run = generate("painter-short", Map.of("n", 4));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(run.json().path("output").path("images").size()).isEqualTo(3);
        assertThat(run.json().path("usage").path("units").asLong()).isEqualTo(3);
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.060000");
    }

    @Test
    void should_refuse_unsafe_answers_as_provider_failures_storing_and_charging_nothing() {
        for (String b : List.of("html", "htmlb64", "big", "bomb", "loopback")) {
            String balance = owner.get("/api/billing/wallet").get("balance");
            long media = mediaCount();

            GatewayClient.Response run = generate("painter-" + b, Map.of("n", 2));

            assertThat(run.status()).as(b + ": " + run.describe()).isEqualTo(502);
            assertThat(run.json().path("category").asString()).as(b).isEqualTo("provider");
            assertThat(run.json().path("code").asString()).as(b).isEqualTo("all_routes_failed");
            assertThat(run.text()).as(b).doesNotContain("<script").doesNotContain("<html");
            assertThat(owner.get("/api/billing/wallet").get("balance")).as(b).isEqualTo(balance);
            assertThat(mediaCount()).as(b).isEqualTo(media);
            JsonNode failed = owner.get("/api/runs/" + run.json().path("run_id").asString()).json();
            assertThat(failed.path("cost").path("credits").asString()).as(b).isEqualTo("0.000000");
        }
        assertThat(FAKE.urlFetches).as("a url on 127.0.0.1 is never fetched").isEmpty();
    }

    @Test
    void should_fall_back_from_a_failing_route_to_a_stable_diffusion_webui() {
        int failedBefore = FAKE.calls("fail500");

        GatewayClient.Response run = generate("painter-fallback", Map.of("n", 2, "size", "256x256"));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(FAKE.calls("fail500")).isGreaterThan(failedBefore);
        assertThat(run.json().path("provider").asString()).isEqualTo("img-sd");
        JsonNode images = run.json().path("output").path("images");
        assertThat(images.size()).isEqualTo(2);
        assertThat(images.get(1).path("width").asInt()).isEqualTo(256);
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.040000");
    }

    @Test
    void should_answer_400_naming_the_param_outside_the_release() {
        int calls = FAKE.calls("png");
        for (var c : List.of(Map.entry(Map.<String, Object>of("size", "1024x1024"), "$.params.size"),
                Map.entry(Map.<String, Object>of("n", 5), "$.params.n"),
                Map.entry(Map.<String, Object>of("n", 0), "$.params.n"),
                Map.entry(Map.<String, Object>of("quality", "ultra"), "$.params.quality"))) {
            GatewayClient.Response run = generate("painter-png", c.getKey());

            assertThat(run.status()).as(run.describe()).isEqualTo(400);
            assertThat(run.json().path("errors").valueStream().map(e -> e.path("path").asString()))
                    .as(run.describe()).contains(c.getValue());
        }
        assertThat(FAKE.calls("png")).isEqualTo(calls);
    }

    @Test
    void should_let_exactly_the_affordable_image_runs_succeed_under_a_race() throws Exception {
        GatewayClient other = otherWorkspace();
        // 40 images of 256x256 standard at 0.02 each
        GatewayClient.Response topUp = other.post("/api/billing/wallet/credits", Map.of("amount", "0.8", "reason", "race"));
        assertThat(topUp.status()).as(topUp.describe()).isEqualTo(200);
        int runs = 100;
        List<GatewayClient.Response> answers;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<GatewayClient.Response>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < runs; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return other.post("/api/runs", Map.of("model", "painter-png", "mode", "generate",
                            "input", Map.of("prompt", "a race"), "params", Map.of("size", "256x256")));
                }));
            }
            start.countDown();
            answers = new ArrayList<>();
            for (Future<GatewayClient.Response> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
        }

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(GatewayClient.Response::status,
                Collectors.counting()));
        assertThat(byStatus).as(answers.stream().filter(a -> a.status() != 200 && a.status() != 402).findFirst()
                .map(GatewayClient.Response::describe).orElse("")).containsOnlyKeys(200, 402);
        assertThat(byStatus.get(200)).isEqualTo(40);
        assertThat(answers.stream().filter(a -> a.status() == 402).map(a -> a.json().path("code").asString()).distinct())
                .containsExactly("insufficient_funds");
        JsonNode wallet = other.get("/api/billing/wallet").json();
        assertThat(new BigDecimal(wallet.path("balance").asString())).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(new BigDecimal(wallet.path("reserved").asString())).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(other.get("/api/media?media_type=image&limit=1").json().path("total").asLong()).isEqualTo(40);
    }

    @Test
    void should_count_n_images_against_images_per_day_exactly_under_concurrent_runs() throws Exception {
        int calls = FAKE.calls("png");
        List<GatewayClient.Response> answers = concurrently(20, () -> generate("painter-daily", Map.of("n", 2)));

        List<GatewayClient.Response> ok = answers.stream().filter(a -> a.status() == 200).toList();
        List<GatewayClient.Response> refused = answers.stream().filter(a -> a.status() != 200).toList();
        assertThat(ok).as("5 images a day admit two runs of 2").hasSize(2);
        assertThat(refused).hasSize(18).allSatisfy(r -> {
            assertThat(r.status()).as(r.describe()).isEqualTo(429);
            assertThat(r.json().path("code").asString()).isEqualTo("quota_exceeded");
            assertThat(r.json().path("limit").asString()).isEqualTo("images_per_day");
            assertThat(r.json().path("reset_at").asString()).endsWith("T00:00:00Z");
            assertThat(r.header("Retry-After")).isNotBlank();
        });
        assertThat(FAKE.calls("png") - calls).isEqualTo(2);
        // one image left today: a run of one is admitted, the next is not
        assertThat(generate("painter-daily", Map.of("n", 1)).status()).isEqualTo(200);
        assertThat(generate("painter-daily", Map.of("n", 1)).status()).isEqualTo(429);
    }

    @Test
    void should_refuse_more_images_than_images_per_minute_allows() {
        GatewayClient.Response tooMany = generate("painter-minute", Map.of("n", 4));
        assertThat(tooMany.status()).as(tooMany.describe()).isEqualTo(429);
        assertThat(tooMany.json().path("limit").asString()).isEqualTo("images_per_minute");

        assertThat(generate("painter-minute", Map.of("n", 2)).status()).isEqualTo(200);
        GatewayClient.Response third = generate("painter-minute", Map.of("n", 2));
        assertThat(third.status()).as(third.describe()).isEqualTo(429);
        assertThat(third.json().path("code").asString()).isEqualTo("rate_limited");
        assertThat(third.header("Retry-After")).isNotBlank();
        assertThat(generate("painter-minute", Map.of("n", 1)).status()).isEqualTo(200);
    }

    @Test
    void should_apply_a_workspace_images_per_day_override_from_the_limits_api() {
        GatewayClient other = otherWorkspace();
        assertThat(other.post("/api/billing/wallet/credits", Map.of("amount", "10", "reason", "limits")).status()).isEqualTo(200);
        GatewayClient.Response put = other.json("PUT", "/api/limits", Map.of("images_per_day", 3));
        assertThat(put.status()).as(put.describe()).isEqualTo(200);
        assertThat(put.json().path("effective").path("images_per_day").asLong()).isEqualTo(3);

        assertThat(other.post("/api/runs", imageRun(2)).status()).isEqualTo(200);
        GatewayClient.Response refused = other.post("/api/runs", imageRun(2));
        assertThat(refused.status()).as(refused.describe()).isEqualTo(429);
        assertThat(refused.json().path("scope").asString()).isEqualTo("workspace");
        assertThat(refused.json().path("limit").asString()).isEqualTo("images_per_day");
        assertThat(other.post("/api/runs", imageRun(1)).status()).isEqualTo(200);
        GatewayClient.Response bad = other.json("PUT", "/api/limits", Map.of("images_per_minute", 0));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("path").asString()).isEqualTo("$.images_per_minute");
    }

    @Test
    void should_refuse_a_flagged_prompt_with_422_and_charge_only_the_moderation_call() {
        String source = generate("painter-png", Map.of()).json().path("output").path("images").get(0).path("media_ref")
                .asString();
        BigDecimal before = balance();
        long media = mediaCount();
        int imageCalls = FAKE.calls("png");

        GatewayClient.Response run = owner.post("/api/runs", Map.of("model", "painter-moderated", "mode", "generate",
                "input", Map.of("prompt", "a battlefield, gore everywhere", "negative_prompt", "blurry"),
                "params", Map.of("n", 3, "size", "512x256", "quality", "hd")));

        // then: 422 with the flagged categories and the flagged field; no image was asked for or stored
        assertThat(run.status()).as(run.describe()).isEqualTo(422);
        assertThat(run.json().path("code").asString()).isEqualTo("moderation_flagged");
        assertThat(run.json().path("category").asString()).isEqualTo("invalid_request");
        assertThat(run.json().path("categories").valueStream().map(JsonNode::asString))
                .containsExactly("violence", "violence/graphic");
        assertThat(run.json().path("errors").valueStream().map(e -> e.path("path").asString()))
                .containsExactly("$.input.prompt");
        assertThat(FAKE.calls("png")).isEqualTo(imageCalls);
        assertThat(mediaCount()).isEqualTo(media);
        // the prompt and the negative prompt went to the moderation route in one call, with the route's model
        assertThat(FAKE.lastModeration.path("model").asString()).isEqualTo("omni-moderation-latest");
        assertThat(FAKE.lastModeration.path("input").valueStream().map(JsonNode::asString))
                .containsExactly("a battlefield, gore everywhere", "blurry");
        // charged the moderation call only (not the per-run price): the wallet, the run, its one usage row and its
        // ledger entry agree
        String runId = run.json().path("run_id").asString();
        assertThat(balance()).isEqualByComparingTo(before.subtract(new BigDecimal("0.005")));
        assertThat(new BigDecimal(owner.get("/api/billing/wallet").get("reserved"))).isEqualByComparingTo(BigDecimal.ZERO);
        JsonNode failed = owner.get("/api/runs/" + runId).json();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("cost").path("credits").asString()).isEqualTo("0.005000");
        assertThat(failed.path("usage").path("units").asLong()).isZero();
        assertThat(usageCredits(runId)).containsExactly("0.005000");
        assertThat(ledgerAmounts(runId)).containsExactly("-0.005000");
        // the moderation call is its own step of the execution log, after its provider attempt
        assertThat(executionSteps(runId)).containsExactly("provider_attempt:ok:img-mod/omni-moderation-latest",
                "moderation:flagged:img-mod/omni-moderation-latest");

        // an edit's prompt is checked the same way
        GatewayClient.Response edit = owner.post("/api/runs", Map.of("model", "painter-moderated", "mode", "edit",
                "input", Map.of("prompt", "add some gore", "image", Map.of("media_ref", source))));
        assertThat(edit.status()).as(edit.describe()).isEqualTo(422);
        assertThat(edit.json().path("code").asString()).isEqualTo("moderation_flagged");
        assertThat(FAKE.calls("png")).isEqualTo(imageCalls);
    }

    @Test
    void should_charge_the_moderation_call_and_the_images_when_the_prompt_passes() {
        BigDecimal before = balance();
        int imageCalls = FAKE.calls("png");

        GatewayClient.Response run = owner.post("/api/runs", Map.of("model", "painter-moderated", "mode", "generate",
                "input", Map.of("prompt", "a lighthouse at dusk"), "params", Map.of("n", 2, "size", "256x256")));

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(run.json().path("output").path("images").size()).isEqualTo(2);
        assertThat(FAKE.calls("png")).isEqualTo(imageCalls + 1);
        assertThat(FAKE.lastModeration.path("input").valueStream().map(JsonNode::asString))
                .containsExactly("a lighthouse at dusk");
        // 2 images at 0.02, one moderation call at 0.005 and the per-run 0.001; units count the images only
        assertThat(run.json().path("usage").path("units").asLong()).isEqualTo(2);
        assertThat(run.json().path("cost").path("credits").asString()).isEqualTo("0.046000");
        String runId = run.get("id");
        assertThat(balance()).isEqualByComparingTo(before.subtract(new BigDecimal("0.046")));
        assertThat(usageCredits(runId)).containsExactly("0.046000");
        assertThat(ledgerAmounts(runId)).containsExactly("-0.046000");
        assertThat(executionSteps(runId)).containsExactly("provider_attempt:ok:img-mod/omni-moderation-latest",
                "moderation:passed:img-mod/omni-moderation-latest", "provider_attempt:ok:img-png/paint-1");
    }

    @Test
    void should_fail_as_a_provider_problem_charging_nothing_when_the_moderation_route_is_down() {
        BigDecimal before = balance();
        int imageCalls = FAKE.calls("png");
        int moderationCalls = FAKE.calls("moddown");

        GatewayClient.Response run = owner.post("/api/runs", Map.of("model", "painter-moderation-down",
                "mode", "generate", "input", Map.of("prompt", "a lighthouse at dusk"), "params", Map.of("n", 2)));

        // then: the prompt was never sent on unchecked, and a moderation call that did no work costs nothing
        assertThat(run.status()).as(run.describe()).isEqualTo(502);
        assertThat(run.json().path("category").asString()).isEqualTo("provider");
        assertThat(run.json().path("code").asString()).isEqualTo("all_routes_failed");
        assertThat(run.json().path("detail").asString()).contains("img-moddown/omni-moderation-latest");
        assertThat(run.text()).doesNotContain("overloaded");
        assertThat(FAKE.calls("moddown")).isGreaterThan(moderationCalls);
        assertThat(FAKE.calls("png")).isEqualTo(imageCalls);
        String runId = run.json().path("run_id").asString();
        assertThat(balance()).isEqualByComparingTo(before);
        assertThat(new BigDecimal(owner.get("/api/billing/wallet").get("reserved"))).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(owner.get("/api/runs/" + runId).json().path("cost").path("credits").asString()).isEqualTo("0.000000");
        assertThat(usageCredits(runId)).containsExactly("0.000000");
        assertThat(ledgerAmounts(runId)).isEmpty();
        assertThat(executionSteps(runId)).isNotEmpty()
                .allMatch(s -> s.startsWith("provider_attempt:failed:img-moddown/omni-moderation-latest"));
    }

    /** The credits of the run's usage rows. */
    private List<String> usageCredits(String runId) {
        return owner.get("/api/logs/usage?run_id=" + runId).json().path("data").valueStream()
                .map(u -> u.path("credits").asString()).toList();
    }

    /** The amounts of the ledger entries of the run, among the newest 50. */
    private List<String> ledgerAmounts(String runId) {
        return owner.get("/api/billing/ledger?limit=50").json().path("data").valueStream()
                .filter(e -> runId.equals(e.path("run_id").asString())).map(e -> e.path("amount").asString()).toList();
    }

    /** The run's execution log as {@code step:outcome:name}, in order. */
    private List<String> executionSteps(String runId) {
        return owner.get("/api/logs/executions?run_id=" + runId).json().path("data").valueStream()
                .map(e -> e.path("step").asString() + ":" + e.path("outcome").asString() + ":" + e.path("name").asString())
                .toList();
    }

    private static Map<String, Object> imageRun(int n) {
        return Map.of("model", "painter-png", "mode", "generate", "input", Map.of("prompt", "a fox"), "params", Map.of("n", n));
    }

    private static List<GatewayClient.Response> concurrently(int n, java.util.concurrent.Callable<GatewayClient.Response> call)
            throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<GatewayClient.Response>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<GatewayClient.Response> answers = new ArrayList<>();
            for (Future<GatewayClient.Response> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            return answers;
        }
    }

    /** A client of a second workspace: a new owner account of this workspace creates it and signs into it. */
    private GatewayClient otherWorkspace() {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Other " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        return anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), ws.get("id")).accessToken());
    }

    private BigDecimal balance() {
        return new BigDecimal(owner.get("/api/billing/wallet").get("balance"));
    }

    private long mediaCount() {
        return owner.get("/api/media?media_type=image&limit=1").json().path("total").asLong();
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertThat(img).as("decodable image").isNotNull();
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
