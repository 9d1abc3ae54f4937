package io.aimp.gateway.images;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.RouteSpec;
import io.aimp.gateway.catalog.SettingsReader;
import io.aimp.gateway.common.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code image:} block of an image model: what a run may ask for and what one image costs.
 *
 * @param sizes     the sizes a run may ask for ({@code WIDTHxHEIGHT}); the first is the default
 * @param maxN      the most images one run may ask for ({@code params.n})
 * @param qualities the qualities a run may ask for; the first is the default
 * @param prices     micro-credits per image, by size and then quality: every allowed pair has a price
 * @param moderation the check every prompt passes before the image call, or {@code null} for none
 */
public record ImageSettings(List<String> sizes, int maxN, List<String> qualities, Map<String, Map<String, Long>> prices,
                            Moderation moderation) {

    public static final Kind KIND = Kind.IMAGE;
    static final int MAX_N = 10;
    static final int MAX_SIDE = 8192;
    static final List<String> DEFAULT_QUALITIES = List.of("standard");
    private static final Pattern SIZE = Pattern.compile("^([1-9][0-9]{1,4})x([1-9][0-9]{1,4})$");
    private static final Pattern QUALITY = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");
    private static final Set<String> FIELDS = SettingsReader.fields("sizes", "max_n", "qualities", "prices", "moderation");
    private static final Set<String> MODERATION_FIELDS = SettingsReader.fields("provider", "model", "timeout_ms", "price");

    public ImageSettings {
        sizes = List.copyOf(sizes);
        qualities = List.copyOf(qualities);
        prices = Map.copyOf(prices);
    }

    /**
     * {@code image.moderation}: the prompt (and negative prompt) go to {@code route}'s moderations API before the
     * image call; a flagged prompt ends the run there.
     *
     * @param route       one provider route of an OpenAI-compatible provider ({@code POST {base_url}/moderations})
     * @param priceMicros what one moderation call costs, charged for every call the provider answered
     */
    public record Moderation(RouteSpec route, long priceMicros) {
    }

    /** The price of one image of {@code size} and {@code quality}, both allowed. */
    long perImageMicros(String size, String quality) {
        return prices.get(size).get(quality);
    }

    /** Reads {@code image: {sizes, max_n, qualities, prices, moderation}}; sizes and prices are required. */
    @Component
    public static final class Reader implements KindSettings<ImageSettings> {

        @Override
        public Kind kind() {
            return KIND;
        }

        @Override
        public ImageSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                in.problem("image", "is required for an image model: give sizes (e.g. [\"1024x1024\"]) and prices");
                return null;
            }
            if (!in.mapping(block, "image", "of sizes, max_n, qualities and prices")) {
                return null;
            }
            in.unknownFields(block, "image", FIELDS);
            List<String> sizes = names(block.get("sizes"), "image.sizes", SIZE, "a size such as 1024x1024", in, true);
            for (String s : sizes) {
                var m = SIZE.matcher(s);
                if (m.matches() && (Integer.parseInt(m.group(1)) > MAX_SIDE || Integer.parseInt(m.group(2)) > MAX_SIDE)) {
                    in.problem("image.sizes", "'" + s + "' has a side over " + MAX_SIDE + " pixels");
                }
            }
            int maxN = in.whole(block, "max_n", "image", 1, MAX_N, 1);
            List<String> qualities = block.has("qualities")
                    ? names(block.get("qualities"), "image.qualities", QUALITY, "a name such as standard or hd", in, true)
                    : DEFAULT_QUALITIES;
            Map<String, Map<String, Long>> prices = prices(block.get("prices"), sizes, qualities, in);
            Moderation moderation = moderation(block.get("moderation"), model, in);
            return new ImageSettings(sizes, maxN, qualities, prices, moderation);
        }

        /** {@code image.moderation: {provider, model, timeout_ms, price}}; {@code null} when absent. */
        private static Moderation moderation(JsonNode node, Model model, SettingsReader in) {
            if (node == null || node.isNull()) {
                return null;
            }
            String at = "image.moderation";
            if (!in.mapping(node, at, "with provider, model, timeout_ms and price (credits per moderation call)")) {
                return null;
            }
            in.unknownFields(node, at, MODERATION_FIELDS);
            ObjectNode route = ((ObjectNode) node).deepCopy();
            route.retain("provider", "model", "timeout_ms"); // the other fields were checked just above
            RouteSpec spec = in.route(route, at, model.providers());
            Long price = credits(node.get("price"), at + ".price", "per moderation call", "0.0001", in);
            return price == null ? null : new Moderation(spec, price);
        }

        private static List<String> names(JsonNode node, String path, Pattern pattern, String what, SettingsReader in,
                                          boolean required) {
            List<String> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                if (required) {
                    in.problem(path, "is required: a list of " + what);
                }
                return out;
            }
            if (!node.isArray() || node.isEmpty()) {
                in.problem(path, "must be a non-empty list of " + what);
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                String s = v.isString() ? v.stringValue().trim() : null;
                if (s == null || !pattern.matcher(s).matches()) {
                    in.problem(path + "[" + i + "]", "must be " + what);
                } else if (out.contains(s)) {
                    in.problem(path + "[" + i + "]", "'" + s + "' is listed twice");
                } else {
                    out.add(s);
                }
            }
            return out;
        }

        private static Map<String, Map<String, Long>> prices(JsonNode node, List<String> sizes, List<String> qualities,
                                                             SettingsReader in) {
            Map<String, Map<String, Long>> out = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                in.problem("image.prices", "is required: credits per image by size and quality, e.g. "
                        + "{\"1024x1024\": {standard: 0.04}}");
                return out;
            }
            if (!in.mapping(node, "image.prices", "of sizes to {quality: credits per image}")) {
                return out;
            }
            for (String name : node.propertyNames()) {
                if (!sizes.contains(name)) {
                    in.problem("image.prices." + name, "is not one of image.sizes");
                }
            }
            for (String size : sizes) {
                String at = "image.prices." + size;
                JsonNode bySize = node.get(size);
                if (bySize == null || !bySize.isObject()) {
                    in.problem(at, "is required: credits per image for each quality (" + String.join(", ", qualities) + ")");
                    continue;
                }
                for (String q : bySize.propertyNames()) {
                    if (!qualities.contains(q)) {
                        in.problem(at + "." + q, "is not one of image.qualities (" + String.join(", ", qualities) + ")");
                    }
                }
                Map<String, Long> byQuality = new LinkedHashMap<>();
                for (String q : qualities) {
                    Long micros = credits(bySize.get(q), at + "." + q, "per image", "0.04", in);
                    if (micros != null) {
                        byQuality.put(q, micros);
                    }
                }
                out.put(size, Map.copyOf(byQuality));
            }
            return out;
        }

        private static Long credits(JsonNode n, String at, String what, String example, SettingsReader in) {
            if (n == null || n.isNull()) {
                in.problem(at, "is required: credits " + what + ", e.g. " + example);
                return null;
            }
            BigDecimal amount;
            try {
                amount = n.isNumber() ? n.decimalValue() : n.isString() ? new BigDecimal(n.stringValue().trim()) : null;
            } catch (NumberFormatException e) {
                amount = null;
            }
            if (amount == null || amount.signum() < 0) {
                in.problem(at, "must be an amount of credits such as " + example + ", not negative");
                return null;
            }
            try {
                return Money.fromCredits(amount);
            } catch (ArithmeticException | IllegalArgumentException e) {
                in.problem(at, "'" + amount.toPlainString() + "' has more than 6 decimals (credits are counted in millionths)");
                return null;
            }
        }
    }
}
