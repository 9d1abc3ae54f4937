package io.aimp.gateway.runs;

import io.aimp.gateway.common.GatewayException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The execution options a caller may send ({@code options} of {@code POST /api/runs} and of
 * {@code POST /api/jobs}), each with its type and range, in one place:
 * <ul>
 *   <li>{@code async}: true or false (runs only; job items always run in the background)</li>
 *   <li>{@code timeout_ms}: a whole number of milliseconds from 1 to {@value #MAX_TIMEOUT_MS}</li>
 *   <li>{@code persist}: true or false</li>
 *   <li>{@code release}: a release version such as {@code 1.0.0} (runs only): the run uses that release of the
 *       model instead of its current one, while the release is not retired</li>
 *   <li>{@code dry_run}: true or false: the run reports what it would change and writes nothing (kinds that
 *       declare it in {@link RunExecutor#options()}, e.g. content)</li>
 *   <li>{@code again}: true or false: the run redoes work it would skip as already done (kinds that declare it)</li>
 * </ul>
 * Anything else, or a value of another type or outside its range, is a 400 naming the option's path.
 */
public final class RunOptions {

    public static final long MAX_TIMEOUT_MS = 600_000;

    /**
     * @param timeoutMs the caller's cap on the whole run, or {@code null}
     * @param release   the release version the caller pinned, or {@code null} for the current one
     */
    public record Parsed(boolean async, Long timeoutMs, boolean persist, String release, boolean dryRun, boolean again) {
    }

    public static final String DRY_RUN = "dry_run";
    public static final String AGAIN = "again";

    private static final java.util.regex.Pattern VERSION =
            java.util.regex.Pattern.compile("^(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(-[0-9A-Za-z.-]{1,40})?$");

    private RunOptions() {
    }

    /**
     * @param options the {@code options} value ({@code null} or JSON null for none)
     * @param allowed the option names this entry point takes
     * @param hint    the sentence that lists them in the refusal of an unknown option
     */
    public static Parsed parse(JsonNode options, Set<String> allowed, String hint) {
        if (options == null || options.isNull()) {
            return new Parsed(false, null, true, null, false, false);
        }
        if (!options.isObject()) {
            throw GatewayException.invalidField("options_not_object", "$.options", "options must be a JSON object");
        }
        for (String name : options.propertyNames()) {
            if (!allowed.contains(name)) {
                String safe = name.replaceAll("[^A-Za-z0-9_\\-]", "?");
                throw GatewayException.invalidField("unknown_option", "$.options." + (safe.length() > 64 ? safe.substring(0, 64) : safe),
                        "unknown option " + safe + "; " + hint);
            }
        }
        return new Parsed(bool(options, "async", false), timeoutMs(options.get("timeout_ms")), bool(options, "persist", true),
                release(options.get("release")), bool(options, DRY_RUN, false), bool(options, AGAIN, false));
    }

    private static String release(JsonNode r) {
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isString() || !VERSION.matcher(r.stringValue()).matches()) {
            throw GatewayException.invalidField("invalid_option", "$.options.release",
                    "release must be a release version such as \"1.0.0\" (major.minor.patch, as the marketplace lists them)");
        }
        return r.stringValue();
    }

    private static Long timeoutMs(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        Long ms = integral(t);
        if (ms == null || ms < 1 || ms > MAX_TIMEOUT_MS) {
            throw GatewayException.invalidField("invalid_option", "$.options.timeout_ms",
                    "timeout_ms must be a whole number of milliseconds from 1 to " + MAX_TIMEOUT_MS);
        }
        return ms;
    }

    /**
     * The value of a JSON number that is a whole number within the range of a {@code long}, written as an
     * integer ({@code 1000}) or with a zero fraction or an exponent ({@code 1000.0}, {@code 1e3}); {@code null}
     * for anything else (a fraction, a value beyond 2^63, not a number). One number has one meaning.
     */
    static Long integral(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.longValue() : null;
        }
        if (!Double.isFinite(n.asDouble())) {
            return null;
        }
        java.math.BigDecimal d = n.decimalValue();
        try {
            return d.signum() == 0 ? 0L : d.longValueExact();
        } catch (ArithmeticException notWholeOrTooLarge) {
            return null;
        }
    }

    private static boolean bool(JsonNode options, String field, boolean dflt) {
        JsonNode v = options.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw GatewayException.invalidField("invalid_option", "$.options." + field, field + " must be true or false");
        }
        return v.asBoolean();
    }
}
