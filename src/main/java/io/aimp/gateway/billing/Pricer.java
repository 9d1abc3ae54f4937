package io.aimp.gateway.billing;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Pricing;
import io.aimp.gateway.catalog.ReleaseLimits;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What a run costs, in micro-credits: the actual cost from the usage it reported, and the worst case
 * before it runs (the amount the wallet reserves). Each per-1k part is rounded up.
 */
@Component
public class Pricer {

    private final long defaultMaxOutputTokens;

    Pricer(BillingProperties props) {
        this.defaultMaxOutputTokens = props.defaultMaxOutputTokens();
    }

    /** The worst case of one run and the token counts it assumed. */
    public record Estimate(long inputTokens, long maxOutputTokens, long items, long costMicros) {

        public long tokens() {
            return inputTokens + maxOutputTokens;
        }
    }

    public static long actual(Pricing p, Kind kind, long inputTokens, long outputTokens, long units) {
        long cost = p.perRunMicros();
        cost = Math.addExact(cost, per1k(inputTokens, p.per1kInputTokensMicros()));
        cost = Math.addExact(cost, per1k(outputTokens, p.per1kOutputTokensMicros()));
        if (Kind.IMAGE.equals(kind)) {
            cost = Math.addExact(cost, Math.multiplyExact(units, p.perImageMicros()));
        } else if (Kind.EMBEDDING.equals(kind)) {
            cost = Math.addExact(cost, Math.multiplyExact(units, p.perItemMicros()));
        }
        return cost;
    }

    /**
     * The worst case at admission: per run + input tokens bounded by the input's UTF-8 bytes (a byte-level
     * BPE token covers at least one byte) + the output cap ({@link #outputCap}) + one item per array
     * element of the input for embeddings, or the image count for images. Prompts built around the input
     * (templates, history, passages) are bounded again before each provider call, which extends the hold.
     */
    public Estimate estimate(Pricing p, ReleaseLimits limits, Kind kind, JsonNode input, JsonNode params) {
        long in = input == null ? 0 : utf8Bytes(input.toString());
        long out = Kind.EMBEDDING.equals(kind) ? 0 : outputCap(params == null ? null : params.get("max_tokens"), limits);
        long items = 0;
        if (Kind.EMBEDDING.equals(kind)) {
            items = Math.max(1, arrayElements(input));
        } else if (Kind.IMAGE.equals(kind)) {
            JsonNode n = params == null ? null : params.get("n");
            items = n != null && n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : 1;
        }
        long cost;
        try {
            cost = actual(p, kind, in, out, items);
        } catch (ArithmeticException overflow) {
            cost = Long.MAX_VALUE / 4; // no wallet covers it: the run is refused for funds, never wrapped around
        }
        return new Estimate(in, out, items, cost);
    }

    /**
     * The one rule for a call's output cap, which is always sent to the provider: the smaller of the
     * requested {@code max_tokens} and the release's {@code limits.max_tokens}; with neither,
     * {@code aimp.billing.default-max-output-tokens}. A numeric request is never dropped: {@code 1.0}
     * is 1, a fraction is rounded down (to at least 1).
     */
    public long outputCap(JsonNode requested, ReleaseLimits limits) {
        Long asked = requested != null && requested.isNumber() && requested.asDouble() > 0
                ? Math.max(1L, (long) Math.min(Math.floor(requested.asDouble()), Integer.MAX_VALUE)) : null;
        Long release = limits == null || limits.maxTokens() == null ? null : Long.valueOf(limits.maxTokens());
        if (asked == null && release == null) {
            return defaultMaxOutputTokens;
        }
        return Math.min(asked == null ? Long.MAX_VALUE : asked, release == null ? Long.MAX_VALUE : release);
    }

    /** The cost of one provider call's usage: {@link #actual} without the per-run price. */
    public static long callCost(Pricing p, Kind kind, long inputTokens, long outputTokens, long units) {
        return actual(p, kind, inputTokens, outputTokens, units) - p.perRunMicros();
    }

    /** The most output tokens {@code budgetMicros} pays for ({@link Long#MAX_VALUE} when output is free). */
    public static long affordableOutputTokens(Pricing p, long budgetMicros) {
        if (p.per1kOutputTokensMicros() <= 0) {
            return Long.MAX_VALUE;
        }
        if (budgetMicros <= 0) {
            return 0;
        }
        // per1k rounds up: n tokens cost ceil(n * price / 1000) <= budget  <=>  n * price <= budget * 1000
        return Math.multiplyHigh(budgetMicros, 1000L) != 0 ? Long.MAX_VALUE
                : budgetMicros * 1000L / p.per1kOutputTokensMicros();
    }

    /** UTF-8 length of {@code s} without encoding it. */
    public static long utf8Bytes(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static long arrayElements(JsonNode input) {
        long count = 0;
        if (input != null) {
            for (JsonNode v : input.values()) {
                if (v.isArray()) {
                    count += v.size();
                }
            }
        }
        return count;
    }

    private static long per1k(long tokens, long microsPer1k) {
        if (tokens <= 0 || microsPer1k <= 0) {
            return 0;
        }
        return Math.ceilDiv(Math.multiplyExact(tokens, microsPer1k), 1000L);
    }
}
