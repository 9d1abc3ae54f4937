package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which forms of a request the lean path takes; every other form goes to Spring MVC. */
class LeanRoutesTest {

    @Test
    void should_take_only_a_plain_json_body() {
        assertThat(LeanRoutes.plainJson("application/json")).isTrue();
        assertThat(LeanRoutes.plainJson("Application/JSON")).isTrue();
        assertThat(LeanRoutes.plainJson("application/json; charset=UTF-8")).isTrue();
        assertThat(LeanRoutes.plainJson("application/json;charset=\"utf-8\"")).isTrue();

        assertThat(LeanRoutes.plainJson(null)).isFalse();
        assertThat(LeanRoutes.plainJson("application/json;charset=ISO-8859-1")).isFalse();
        assertThat(LeanRoutes.plainJson("application/json;charset=utf-8;v=1")).isFalse();
        assertThat(LeanRoutes.plainJson("application/merge-patch+json")).isFalse();
        assertThat(LeanRoutes.plainJson("text/plain")).isFalse();
    }

    @Test
    void should_take_only_an_accept_that_plainly_names_json() {
        assertThat(LeanRoutes.acceptsJson(null)).isTrue();
        assertThat(LeanRoutes.acceptsJson("application/json")).isTrue();
        assertThat(LeanRoutes.acceptsJson("*/*")).isTrue();
        assertThat(LeanRoutes.acceptsJson("text/html, application/*")).isTrue();

        assertThat(LeanRoutes.acceptsJson("application/json;q=0.5")).isFalse();
        assertThat(LeanRoutes.acceptsJson("text/html")).isFalse();
        assertThat(LeanRoutes.acceptsJson("application/problem+json")).isFalse();
    }
}
