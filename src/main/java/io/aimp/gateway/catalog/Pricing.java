package io.aimp.gateway.catalog;

/**
 * What one run of a release costs, in micro-credits (1 credit = 1,000,000 micros). Catalog files give
 * credits with at most 6 decimals; a missing price is zero.
 */
public record Pricing(long perRunMicros, long per1kInputTokensMicros, long per1kOutputTokensMicros,
                      long perImageMicros, long perItemMicros) {

    public static final Pricing FREE = new Pricing(0, 0, 0, 0, 0);
}
