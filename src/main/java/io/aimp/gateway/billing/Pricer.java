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
        if (kind == Kind.IMAGE) {
            cost = Math.addExact(cost, Math.multiplyExact(units, p.perImageMicros()));
        } else if (kind == Kind.EMBEDDING) {
            cost = Math.addExact(cost, Math.multiplyExact(units, p.perItemMicros()));
        }
        return cost;
    }

    /**
     * The worst case: per run + input tokens estimated from the input's JSON length (4 characters per
     * token, rounded up) + the most output tokens the run may produce ({@code params.max_tokens}, else
     * the release's {@code max_tokens}, else {@code aimp.billing.default-max-output-tokens}) + one item
     * per array element of the input for embeddings, or the image count for images.
     */
    public Estimate estimate(Pricing p, ReleaseLimits limits, Kind kind, JsonNode input, JsonNode params) {
        long chars = input == null ? 0 : input.toString().length();
        long in = Math.ceilDiv(chars, 4L);
        long out = 0;
        if (kind != Kind.EMBEDDING) {
            JsonNode mt = params == null ? null : params.get("max_tokens");
            if (mt != null && mt.canConvertToLong() && mt.asLong() > 0) {
                out = mt.asLong();
            } else if (limits != null && limits.maxTokens() != null) {
                out = limits.maxTokens();
            } else {
                out = defaultMaxOutputTokens;
            }
        }
        long items = 0;
        if (kind == Kind.EMBEDDING) {
            items = Math.max(1, arrayElements(input));
        } else if (kind == Kind.IMAGE) {
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
