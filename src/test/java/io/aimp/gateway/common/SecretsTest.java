package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void should_compute_hmac_sha256_with_a_reusable_key_from_many_threads() throws Exception {
        // RFC 4231, test case 2
        byte[] key = "Jefe".getBytes(StandardCharsets.UTF_8);
        String data = "what do ya want for nothing?";
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        Secrets.Hmac hmac = Secrets.hmac(key);

        assertThat(Secrets.hmacHex(key, data)).isEqualTo(expected);
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                checks.add(pool.submit(() -> hmac.hex(data).equals(expected) && !hmac.hex(data + "!").equals(expected)));
            }
            for (Future<Boolean> f : checks) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        }
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
