package io.aimp.gateway.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import io.aimp.gateway.catalog.RouteSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The image block is read and checked by the kind itself: allowed sizes, n and qualities, and a price for each pair. */
class ImageSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<String> problems = new ArrayList<>();
    private final SettingsReader in = new SettingsReader((path, reason) -> problems.add(path + " " + reason));

    private ImageSettings read(String block) {
        return new ImageSettings.Reader().read(block == null ? null : JSON.readTree(block),
                new KindSettings.Model("painter", Map.of(), Set.of("openai", "sd")), in);
    }

    private static final String BASE = "\"sizes\": [\"512x512\"], \"prices\": {\"512x512\": {\"standard\": 0.01}}";

    @Test
    void should_read_sizes_qualities_and_a_price_per_image_for_each_pair() {
        ImageSettings s = read("""
                {"sizes": ["1024x1024", "1792x1024"], "max_n": 4, "qualities": ["standard", "hd"],
                 "prices": {"1024x1024": {"standard": 0.04, "hd": "0.08"}, "1792x1024": {"standard": 0.08, "hd": 0.12}}}""");

        assertThat(problems).isEmpty();
        assertThat(s.sizes()).containsExactly("1024x1024", "1792x1024");
        assertThat(s.maxN()).isEqualTo(4);
        assertThat(s.perImageMicros("1024x1024", "hd")).isEqualTo(80_000);
        assertThat(s.perImageMicros("1792x1024", "standard")).isEqualTo(80_000);
    }

    @Test
    void should_default_to_one_image_of_standard_quality() {
        ImageSettings s = read("{\"sizes\": [\"512x512\"], \"prices\": {\"512x512\": {\"standard\": 0.01}}}");

        assertThat(problems).isEmpty();
        assertThat(s.maxN()).isEqualTo(1);
        assertThat(s.qualities()).containsExactly("standard");
    }

    @Test
    void should_name_each_problem_of_the_block() {
        read("""
                {"sizes": ["1024x1024", "big", "9000x10"], "max_n": 11, "qualities": ["hd"], "colour": true,
                 "prices": {"1024x1024": {"hd": -1, "ultra": 2}, "256x256": {"hd": 1}, "9000x10": {"hd": 0.0000001}}}""");
        read(null);

        assertThat(problems).containsExactly(
                "image.colour is not a known field (known: sizes, max_n, qualities, prices, moderation)",
                "image.sizes[1] must be a size such as 1024x1024",
                "image.sizes '9000x10' has a side over 8192 pixels",
                "image.max_n must be a whole number from 1 to 10",
                "image.prices.256x256 is not one of image.sizes",
                "image.prices.1024x1024.ultra is not one of image.qualities (hd)",
                "image.prices.1024x1024.hd must be an amount of credits such as 0.04, not negative",
                "image.prices.9000x10.hd '0.00000010' has more than 6 decimals (credits are counted in millionths)",
                "image is required for an image model: give sizes (e.g. [\"1024x1024\"]) and prices");
    }

    @Test
    void should_read_a_moderation_route_with_its_price_per_call() {
        ImageSettings s = read("{" + BASE + ", \"moderation\": {\"provider\": \"openai\","
                + " \"model\": \"omni-moderation-latest\", \"timeout_ms\": 5000, \"price\": \"0.0015\"}}");

        assertThat(problems).isEmpty();
        assertThat(s.moderation().route())
                .isEqualTo(new RouteSpec("openai", "omni-moderation-latest", Duration.ofMillis(5000)));
        assertThat(s.moderation().priceMicros()).isEqualTo(1500);
        assertThat(read("{" + BASE + "}").moderation()).isNull();
    }

    @Test
    void should_refuse_a_moderation_route_of_an_unknown_provider_or_with_a_bad_price() {
        read("{" + BASE + ", \"moderation\": {\"provider\": \"nope\", \"model\": \"m\", \"price\": -0.01}}");
        read("{" + BASE + ", \"moderation\": {\"provider\": \"openai\", \"model\": \"m\", \"price\": 0.0000001,"
                + " \"timeout_ms\": 0, \"threshold\": 0.5}}");
        read("{" + BASE + ", \"moderation\": {\"provider\": \"openai\", \"price\": \"free\"}}");
        read("{" + BASE + ", \"moderation\": {\"provider\": \"openai\", \"model\": \"m\"}}");
        read("{" + BASE + ", \"moderation\": \"openai\"}");

        assertThat(problems).containsExactly(
                "image.moderation.provider 'nope' is not configured (configure aimp.providers.nope; configured: openai, sd)",
                "image.moderation.price must be an amount of credits such as 0.0001, not negative",
                "image.moderation.threshold is not a known field (known: provider, model, timeout_ms, price)",
                "image.moderation.timeout_ms '0' must be a whole number of milliseconds from 1 to 600000",
                "image.moderation.price '0.00000010' has more than 6 decimals (credits are counted in millionths)",
                "image.moderation.model is required",
                "image.moderation.price must be an amount of credits such as 0.0001, not negative",
                "image.moderation.price is required: credits per moderation call, e.g. 0.0001",
                "image.moderation must be a mapping with provider, model, timeout_ms and price (credits per moderation call)");
    }
}
