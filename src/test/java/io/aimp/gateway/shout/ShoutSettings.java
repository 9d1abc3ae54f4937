package io.aimp.gateway.shout;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.SettingsReader;
import tools.jackson.databind.JsonNode;

/**
 * The {@code shout:} block of the test kind {@code shout}: a model that answers its input in capitals, with
 * {@code suffix} appended {@code times} times. It lives only in the test tree, to show that a kind is one package
 * (this record, its reader and {@link ShoutExecutor}) plus its registration.
 *
 * @param suffix appended to the answer, e.g. {@code !}
 * @param times  how often, {@value #MIN_TIMES} to {@value #MAX_TIMES}
 */
public record ShoutSettings(String suffix, int times) {

    static final Kind SHOUT = new Kind("shout");
    static final int DEFAULT_TIMES = 1;
    static final int MIN_TIMES = 1;
    static final int MAX_TIMES = 5;

    /**
     * Reads {@code shout: {suffix, times}}; the block and its suffix are required. Not a component: a test
     * registers the kind ({@link ShoutKind}), so other tests' gateways do not run it.
     */
    public static final class Reader implements KindSettings<ShoutSettings> {

        @Override
        public Kind kind() {
            return SHOUT;
        }

        @Override
        public ShoutSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("shout", "is required for a shout model: give suffix");
                return null;
            }
            in.unknownFields(block, "shout", SettingsReader.fields("suffix", "times"));
            String suffix = in.string(block, "suffix", "shout", true);
            int times = in.whole(block, "times", "shout", MIN_TIMES, MAX_TIMES, DEFAULT_TIMES);
            return new ShoutSettings(suffix, times);
        }
    }
}
