package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void should_keep_ids_content_types_and_uris_as_they_are() {
        assertThat(Printable.of("run_01JMH-x.y")).isEqualTo("run_01JMH-x.y");
        assertThat(Printable.of("image/svg+xml")).isEqualTo("image/svg+xml");
        assertThat(Printable.of("aimp://models/m:1")).isEqualTo("aimp://models/m:1");
    }

    @Test
    void should_replace_markup_spaces_and_line_breaks() {
        assertThat(Printable.of("<b>x</b> y\r\nz\u0000é")).isEqualTo("?b?x?/b??y??z??");
    }

    @Test
    void should_cut_long_values_and_name_a_missing_one() {
        assertThat(Printable.of("a".repeat(200))).isEqualTo("a".repeat(Printable.MAX) + "…");
        assertThat(Printable.of("a".repeat(Printable.MAX))).isEqualTo("a".repeat(Printable.MAX));
        assertThat(Printable.of(null)).isEqualTo("(none)");
    }
}
