package io.aimp.gateway.common;

/** Query parameters a route reads as text, so that a bad value answers the gateway's own problem naming it. */
public final class QueryParams {

    private QueryParams() {
    }

    /**
     * The whole number {@code value} from {@code min} to {@code max}, or {@code fallback} when it is absent.
     *
     * @throws GatewayException 400 {@code invalid_parameter} naming the parameter and its range
     */
    public static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw GatewayException.invalidField("invalid_parameter", name, name + " must be a whole number "
                + (max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max));
    }
}
