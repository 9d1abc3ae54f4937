package io.aimp.gateway.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aimp.gateway.common.Money;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the marketplace shows of a published model. Provider routes are internal and never appear here. */
final class MarketplaceViews {

    private MarketplaceViews() {
    }

    record ModelList(String object, List<ModelSummary> data, int total, int limit, int offset) {
    }

    record ModelSummary(String id, String object, String slug, String name, String description, Kind kind,
                        Visibility visibility, List<String> modes, String currentRelease, PricingView pricing,
                        boolean deprecated) {
    }

    record ModelDetail(String id, String object, String slug, String name, String description, Kind kind,
                       Visibility visibility, List<String> modes, String currentRelease, PricingView pricing,
                       boolean deprecated, Map<String, ModeContract> contract, List<ReleaseView> releases) {
    }

    record ModeContract(JsonNode input, JsonNode params, JsonNode output, boolean vector, String description) {
    }

    /** @param lastEvaluation the caller's workspace's last run of the model's suite against this release, or {@code null} */
    record ReleaseView(String version, String hardwareTier, PricingView pricing, ReleaseLimits limits,
                       String deprecated, String sunset, boolean retired, boolean current, Object lastEvaluation) {
    }

    /** Credits as decimal strings with 6 decimals, never floating point. */
    record PricingView(@JsonProperty("per_run") String perRun,
                       @JsonProperty("per_1k_input_tokens") String per1kInputTokens,
                       @JsonProperty("per_1k_output_tokens") String per1kOutputTokens,
                       @JsonProperty("per_image") String perImage,
                       @JsonProperty("per_item") String perItem) {
    }

    static ModelSummary summary(PublishedModel m) {
        return new ModelSummary(m.id(), "model", m.slug(), m.name(), m.description(), m.kind(), m.visibility(),
                List.copyOf(m.modes().keySet()), m.current().version(), pricing(m.current().pricing()),
                m.current().isDeprecated());
    }

    static ModelDetail detail(PublishedModel m) {
        return detail(m, Map.of());
    }

    /** @param evaluations by release version: what {@link ReleaseEvaluations} reports for the caller */
    static ModelDetail detail(PublishedModel m, Map<String, ?> evaluations) {
        ModelSummary s = summary(m);
        Map<String, ModeContract> contract = new LinkedHashMap<>();
        m.modes().forEach((name, mode) -> contract.put(name, new ModeContract(mode.inputSchema(), mode.paramsSchema(),
                mode.outputSchema(), mode.vector(), mode.description())));
        List<ReleaseView> releases = m.releases().stream()
                .map(r -> new ReleaseView(r.version(), r.hardwareTier(), pricing(r.pricing()), r.limits(), r.deprecated(),
                        r.sunset() == null ? null : r.sunset().toString(), r.retired(),
                        r.version().equals(m.current().version()), evaluations.get(r.version())))
                .toList();
        return new ModelDetail(s.id(), s.object(), s.slug(), s.name(), s.description(), s.kind(), s.visibility(),
                s.modes(), s.currentRelease(), s.pricing(), s.deprecated(), contract, releases);
    }

    static PricingView pricing(Pricing p) {
        return new PricingView(Money.format(p.perRunMicros()), Money.format(p.per1kInputTokensMicros()),
                Money.format(p.per1kOutputTokensMicros()), Money.format(p.perImageMicros()), Money.format(p.perItemMicros()));
    }
}
