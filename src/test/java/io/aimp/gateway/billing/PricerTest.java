package io.aimp.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Pricing;
import io.aimp.gateway.catalog.ReleaseLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PricerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Pricer pricer = new Pricer(new BillingProperties(4096, "1000", Duration.ofMinutes(5)));
    // 0.01 per run, 1.5 per 1k input tokens, 2.5 per 1k output tokens, 0.04 per image, 0.0001 per item
    private final Pricing pricing = new Pricing(10_000, 1_500_000, 2_500_000, 40_000, 100);

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void should_round_each_per_1k_part_up() {
        assertThat(Pricer.actual(pricing, Kind.TEXT, 1, 1, 2)).isEqualTo(10_000 + 1_500 + 2_500);
        assertThat(Pricer.actual(pricing, Kind.TEXT, 0, 0, 0)).isEqualTo(10_000);
        assertThat(Pricer.actual(new Pricing(0, 1, 0, 0, 0), Kind.TEXT, 1, 0, 1)).isEqualTo(1);
    }

    @Test
    void should_bound_input_by_utf8_bytes_and_output_by_params_max_tokens() {
        JsonNode input = json("{\"text\":\"abcdefgh\"}"); // 19 bytes: a byte-level BPE token covers at least one

        Pricer.Estimate e = pricer.estimate(pricing, ReleaseLimits.NONE, Kind.TEXT, input, json("{\"max_tokens\":200}"));

        assertThat(e.inputTokens()).isEqualTo(19);
        assertThat(e.maxOutputTokens()).isEqualTo(200);
        assertThat(e.costMicros()).isEqualTo(10_000 + 28_500 + 500_000);
    }

    @Test
    void should_count_multibyte_characters_as_their_utf8_bytes() {
        assertThat(Pricer.utf8Bytes("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void should_never_drop_a_requested_cap_and_let_the_release_cap_win() {
        ReleaseLimits release100 = new ReleaseLimits(null, null, 100, null);
        assertThat(pricer.outputCap(json("1.0"), ReleaseLimits.NONE)).isEqualTo(1);
        assertThat(pricer.outputCap(json("7.9"), ReleaseLimits.NONE)).isEqualTo(7);
        assertThat(pricer.outputCap(json("5000"), release100)).isEqualTo(100);
        assertThat(pricer.outputCap(json("50"), release100)).isEqualTo(50);
        assertThat(pricer.outputCap(null, release100)).isEqualTo(100);
        assertThat(pricer.outputCap(null, ReleaseLimits.NONE)).isEqualTo(4096);
        assertThat(pricer.estimate(pricing, ReleaseLimits.NONE, Kind.TEXT, json("{}"), json("{\"max_tokens\":1.0}"))
                .maxOutputTokens()).isEqualTo(1);
    }

    @Test
    void should_tell_how_many_output_tokens_a_budget_pays_for() {
        // 2.5 credits per 1k output tokens: one token costs 2,500 micros
        assertThat(Pricer.affordableOutputTokens(pricing, 2_500_000)).isEqualTo(1_000);
        assertThat(Pricer.affordableOutputTokens(pricing, 2_500)).isEqualTo(1);
        assertThat(Pricer.affordableOutputTokens(pricing, 2_499)).isZero();
        assertThat(Pricer.callCost(pricing, Kind.TEXT, 0, Pricer.affordableOutputTokens(pricing, 7_777), 0))
                .isLessThanOrEqualTo(7_777);
        assertThat(Pricer.affordableOutputTokens(Pricing.FREE, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void should_fall_back_to_the_release_cap_then_the_configured_default() {
        JsonNode input = json("{}");
        assertThat(pricer.estimate(pricing, new ReleaseLimits(null, null, 100, null), new Kind("chat"), input, json("{}"))
                .maxOutputTokens()).isEqualTo(100);
        assertThat(pricer.estimate(pricing, ReleaseLimits.NONE, new Kind("chat"), input, json("{}")).maxOutputTokens())
                .isEqualTo(4096);
    }

    @Test
    void should_count_items_for_embeddings_and_images_for_image_models() {
        Pricer.Estimate emb = pricer.estimate(pricing, ReleaseLimits.NONE, Kind.EMBEDDING,
                json("{\"texts\":[\"a\",\"b\",\"c\"]}"), json("{}"));
        assertThat(emb.items()).isEqualTo(3);
        assertThat(emb.maxOutputTokens()).isZero();
        assertThat(pricer.estimate(pricing, ReleaseLimits.NONE, Kind.IMAGE, json("{\"prompt\":\"x\"}"), json("{\"n\":2}")).items())
                .isEqualTo(2);
    }
}
