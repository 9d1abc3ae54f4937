package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void should_draw_every_base62_character_about_equally_often() {
        int[] counts = new int[128];
        for (int i = 0; i < 2_000; i++) {
            String s = Secrets.randomBase62(31);
            assertThat(s).hasSize(31);
            for (char c : s.toCharArray()) {
                counts[c]++;
            }
        }
        // 62,000 characters: 1,000 expected per character, standard deviation ~31
        for (char c : BASE62.toCharArray()) {
            assertThat(counts[c]).as("count of '%s'", c).isBetween(800, 1_200);
        }
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        assertThat(total).as("nothing outside the alphabet").isEqualTo(62_000);
    }

    @Test
    void should_make_ids_that_sort_by_time_and_never_repeat() {
        String early = Ids.newId("run", 1_700_000_000_000L);
        String late = Ids.newId("run", 1_700_000_000_001L);
        assertThat(early).startsWith("run_").hasSize(4 + 10 + 14);
        assertThat(early.substring(4, 14).compareTo(late.substring(4, 14))).isNegative();

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(seen.add(Ids.newId("run", 1_700_000_000_000L))).isTrue();
        }
        assertThat(seen).allSatisfy(id -> assertThat(id.substring(14)).matches("[0-9A-Za-z]{14}"));
    }
}
