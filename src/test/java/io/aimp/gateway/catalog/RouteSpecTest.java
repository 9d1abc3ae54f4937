package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.providers.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouteSpecTest {

    @Test
    void should_give_a_route_without_timeout_the_documented_thirty_seconds() {
        assertThat(new RouteSpec("openai", "gpt-4o-mini", null).timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new RouteSpec("openai", "gpt-4o-mini", Duration.ofSeconds(5)).timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_leave_no_second_default_to_the_router() {
        assertThatThrownBy(() -> new Route("openai", "gpt-4o-mini", null)).isInstanceOf(NullPointerException.class);
    }
}
