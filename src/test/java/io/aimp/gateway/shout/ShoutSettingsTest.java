package io.aimp.gateway.shout;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The shout block is read and checked by the kind itself, with the catalog's shared field rules. */
class ShoutSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<String> problems = new ArrayList<>();
    private final SettingsReader in = new SettingsReader((path, reason) -> problems.add(path + " " + reason));

    private ShoutSettings read(String block) {
        return new ShoutSettings.Reader().read(block == null ? null : JSON.readTree(block),
                new KindSettings.Model("shouter", Map.of()), in);
    }

    @Test
    void should_read_the_block_with_its_defaults() {
        assertThat(read("{\"suffix\":\"?\"}")).isEqualTo(new ShoutSettings("?", ShoutSettings.DEFAULT_TIMES));
        assertThat(read("{\"suffix\":\"!\",\"times\":5}")).isEqualTo(new ShoutSettings("!", 5));
        assertThat(problems).isEmpty();
    }

    @Test
    void should_name_each_problem_of_the_block() {
        read("{\"times\":6,\"volume\":11}");
        read(null);

        assertThat(problems).containsExactly(
                "shout.volume is not a known field (known: suffix, times)",
                "shout.suffix is required",
                "shout.times must be a whole number from 1 to 5",
                "shout is required for a shout model: give suffix");
    }
}
