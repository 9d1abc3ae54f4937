package io.aimp.gateway.runs;

import io.aimp.gateway.catalog.Pricing;
import io.aimp.gateway.providers.Usage;

/** Actual cost of a run from the release's pricing, in micro-credits, each part rounded up. */
final class Costs {

    private Costs() {
    }

    static long actual(Pricing p, Usage u, String kindUnit) {
        long cost = p.perRunMicros();
        cost = Math.addExact(cost, per1k(u.inputTokens(), p.per1kInputTokensMicros()));
        cost = Math.addExact(cost, per1k(u.outputTokens(), p.per1kOutputTokensMicros()));
        if ("image".equals(kindUnit)) {
            cost = Math.addExact(cost, Math.multiplyExact(u.units(), p.perImageMicros()));
        } else if ("item".equals(kindUnit)) {
            cost = Math.addExact(cost, Math.multiplyExact(u.units(), p.perItemMicros()));
        }
        return cost;
    }

    private static long per1k(long tokens, long microsPer1k) {
        if (tokens <= 0 || microsPer1k <= 0) {
            return 0;
        }
        return Math.ceilDiv(Math.multiplyExact(tokens, microsPer1k), 1000L);
    }
}
