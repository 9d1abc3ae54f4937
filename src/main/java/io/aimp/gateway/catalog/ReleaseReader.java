package io.aimp.gateway.catalog;

import static io.aimp.gateway.catalog.SettingsReader.at;
import static io.aimp.gateway.catalog.SettingsReader.fields;

import io.aimp.gateway.common.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads the {@code releases:} of one catalog file: versions, routes, pricing and limits. */
final class ReleaseReader {

    static final Pattern VERSION = Pattern.compile("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$");
    static final Pattern HARDWARE_TIER = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");
    private static final Set<String> RELEASE_FIELDS = fields("version", "hardware_tier", "routes", "pricing", "limits", "deprecated",
            "deprecated_at", "sunset", "retired");
    private static final Set<String> PRICING_FIELDS = fields("per_run", "per_1k_input_tokens", "per_1k_output_tokens",
            "per_image", "per_item");
    private static final Set<String> LIMIT_FIELDS = fields("requests_per_minute", "tokens_per_minute", "max_tokens",
            "max_concurrent", "images_per_minute", "images_per_day");

    private final Set<String> providerNames;
    private final SettingsReader in;
    /** The deprecation date of a deprecated release that names none. */
    private final Instant loadedAt;

    ReleaseReader(Set<String> providerNames, SettingsReader in) {
        this(providerNames, in, Instant.now());
    }

    ReleaseReader(Set<String> providerNames, SettingsReader in, Instant loadedAt) {
        this.providerNames = providerNames;
        this.in = in;
        this.loadedAt = loadedAt;
    }

    List<Release> releases(JsonNode node) {
        List<Release> releases = new ArrayList<>();
        if (node == null || node.isNull()) {
            in.problem("releases", "is required: list at least one release with version, routes and pricing");
            return releases;
        }
        if (!node.isArray() || node.isEmpty()) {
            in.problem("releases", "must be a list of at least one release");
            return releases;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "releases[" + i + "]";
            Release r = release(path, node.get(i));
            if (r == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(r.version(), i);
            if (first != null) {
                in.problem(path + ".version", "'" + r.version() + "' is already used by releases[" + first
                        + "]: releases are immutable, publish a new version");
                continue;
            }
            releases.add(r);
        }
        return releases;
    }

    /** The release named by {@code current:}, else the first one; {@code null} when there is none. */
    Release current(JsonNode root, List<Release> releases) {
        String version = in.string(root, "current", "", false);
        if (version == null) {
            if (!releases.isEmpty() && releases.getFirst().retired()) {
                in.problem("current", "is required when the first release is retired: name the release that runs");
            }
            return releases.isEmpty() ? null : releases.getFirst();
        }
        for (Release r : releases) {
            if (r.version().equals(version)) {
                if (r.retired()) {
                    in.problem("current", "names version '" + version + "', which is retired");
                }
                return r;
            }
        }
        if (!releases.isEmpty() || root.path("releases").isArray()) {
            in.problem("current", "names version '" + version + "', which is not among releases"
                    + (releases.isEmpty() ? "" : " (" + String.join(", ", releases.stream().map(Release::version).toList()) + ")"));
        }
        return null;
    }

    private Release release(String path, JsonNode node) {
        if (!in.mapping(node, path, "with version, hardware_tier, routes, pricing, limits, deprecated, deprecated_at, sunset,"
                + " retired")) {
            return null;
        }
        in.unknownFields(node, path, RELEASE_FIELDS);
        int before = in.problems();
        String version = version(path, node.get("version"));
        String tier = in.string(node, "hardware_tier", path, false);
        if (tier != null && !HARDWARE_TIER.matcher(tier).matches()) {
            in.problem(path + ".hardware_tier", "'" + tier + "' must match " + HARDWARE_TIER.pattern());
        }
        List<RouteSpec> routes = routes(path + ".routes", node.get("routes"));
        Pricing pricing = pricing(path + ".pricing", node.get("pricing"));
        ReleaseLimits limits = limits(path + ".limits", node.get("limits"));
        String deprecated = in.string(node, "deprecated", path, false);
        if (deprecated != null && deprecated.isBlank()) {
            in.problem(path + ".deprecated", "must be a notice that tells callers what to use instead");
        }
        Instant deprecatedAt = instant(node, "deprecated_at", path);
        Instant sunset = instant(node, "sunset", path);
        JsonNode retiredNode = node.get("retired");
        boolean retired = false;
        if (retiredNode != null && !retiredNode.isNull()) {
            if (!retiredNode.isBoolean()) {
                in.problem(path + ".retired", "must be true or false");
            } else {
                retired = retiredNode.booleanValue();
            }
        }
        if ((deprecatedAt != null || sunset != null || retired) && deprecated == null) {
            in.problem(path + ".deprecated", "is required when deprecated_at, sunset or retired is set: the notice tells"
                    + " callers what to use instead");
        }
        if (deprecatedAt != null && sunset != null && sunset.isBefore(deprecatedAt)) {
            in.problem(path + ".sunset", "must not be before deprecated_at");
        }
        if (in.problems() != before) {
            return null;
        }
        return new Release(version, tier == null ? "cpu" : tier, routes, pricing, limits, deprecated,
                deprecated == null ? null : deprecatedAt != null ? deprecatedAt : loadedAt, sunset, retired);
    }

    /** A date ({@code 2027-06-30}, its start in UTC) or an instant ({@code 2027-06-30T12:00:00Z}); null when absent. */
    private Instant instant(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String text = v.asString();
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            in.problem(at(path, field), "'" + text + "' must be a date (2027-06-30) or an instant (2027-06-30T12:00:00Z)");
            return null;
        }
    }

    private String version(String path, JsonNode v) {
        if (v == null || v.isNull()) {
            in.problem(path + ".version", "is required (e.g. 1.0.0)");
        } else if (!v.isString() || !VERSION.matcher(v.stringValue()).matches()) {
            in.problem(path + ".version", "'" + v.asString() + "' must look like 1.2.3 (major.minor.patch, optional -suffix)"
                    + (v.isNumber() ? "; YAML read it as a number" : ""));
        } else {
            return v.stringValue();
        }
        return null;
    }

    private List<RouteSpec> routes(String path, JsonNode node) {
        List<RouteSpec> routes = new ArrayList<>();
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            in.problem(path, "must list at least one route ({provider, model, timeout_ms}); routes are tried in order");
            return routes;
        }
        if (!node.isArray()) {
            in.problem(path, "must be a list of routes");
            return routes;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode r = node.get(i);
            if (in.mapping(r, at, "with provider, model, timeout_ms")) {
                routes.add(in.route(r, at, providerNames));
            }
        }
        return routes;
    }

    private Pricing pricing(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return Pricing.FREE;
        }
        if (!in.mapping(node, path, "of " + String.join(", ", PRICING_FIELDS) + " to credits")) {
            return Pricing.FREE;
        }
        in.unknownFields(node, path, PRICING_FIELDS);
        return new Pricing(credits(node, "per_run", path), credits(node, "per_1k_input_tokens", path),
                credits(node, "per_1k_output_tokens", path), credits(node, "per_image", path),
                credits(node, "per_item", path));
    }

    private long credits(JsonNode pricing, String field, String path) {
        JsonNode n = pricing.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        String at = at(path, field);
        BigDecimal amount;
        try {
            amount = n.isNumber() ? n.decimalValue() : n.isString() ? new BigDecimal(n.stringValue().trim()) : null;
        } catch (NumberFormatException e) {
            amount = null;
        }
        if (amount == null) {
            in.problem(at, "'" + n.asString() + "' must be an amount of credits such as 0.001");
            return 0;
        }
        if (amount.signum() < 0) {
            in.problem(at, "'" + amount.toPlainString() + "' must not be negative");
            return 0;
        }
        try {
            return Money.fromCredits(amount);
        } catch (ArithmeticException | IllegalArgumentException e) {
            in.problem(at, "'" + amount.toPlainString() + "' has more than 6 decimals (credits are counted in millionths)");
            return 0;
        }
    }

    private ReleaseLimits limits(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return ReleaseLimits.NONE;
        }
        if (!in.mapping(node, path, "of " + String.join(", ", LIMIT_FIELDS))) {
            return ReleaseLimits.NONE;
        }
        in.unknownFields(node, path, LIMIT_FIELDS);
        return new ReleaseLimits(in.positive(node, "requests_per_minute", path), in.positive(node, "tokens_per_minute", path),
                in.positive(node, "max_tokens", path), in.positive(node, "max_concurrent", path),
                in.positive(node, "images_per_minute", path), in.positive(node, "images_per_day", path));
    }
}
