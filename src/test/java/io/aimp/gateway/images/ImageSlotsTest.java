package io.aimp.gateway.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aimp.gateway.common.GatewayException;
import org.junit.jupiter.api.Test;

/** A workspace's image generations in progress stop at the cap; other workspaces and freed slots are unaffected. */
class ImageSlotsTest {

    @Test
    void should_refuse_a_generation_over_the_workspace_cap_until_one_ends() {
        ImageSlots slots = new ImageSlots(2);
        ImageSlots.Slot first = slots.acquire("ws_a");
        ImageSlots.Slot second = slots.acquire("ws_a");

        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> slots.acquire("ws_a"));
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.status()).isEqualTo(429);
        slots.acquire("ws_b").close();

        first.close();
        slots.acquire("ws_a").close();
        second.close();
    }
}
