package io.aimp.gateway.catalog;

import io.aimp.gateway.common.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The published models of this gateway. Loaded once at start-up; an invalid catalog stops the start with a
 * {@link CatalogException} that lists every problem.
 */
@Service
public class CatalogService {

    private final List<PublishedModel> models;
    private final Map<String, PublishedModel> bySlugOrId;

    @Autowired
    CatalogService(CatalogProperties properties, ProviderNames providerNames,
                   org.springframework.beans.factory.ObjectProvider<KindSettingsCheck> checks) {
        this(new CatalogLoader(providerNames.names(), checks.orderedStream().toList()).load(properties));
    }

    CatalogService(List<PublishedModel> models) {
        this.models = List.copyOf(models);
        Map<String, PublishedModel> index = new LinkedHashMap<>();
        for (PublishedModel m : models) {
            index.put(m.slug(), m);
            index.put(m.id(), m);
        }
        this.bySlugOrId = Map.copyOf(index);
    }

    /** The model with this slug or id, whoever asks; callers check {@link PublishedModel#visibleTo}. */
    public Optional<PublishedModel> find(String slugOrId) {
        return slugOrId == null ? Optional.empty() : Optional.ofNullable(bySlugOrId.get(slugOrId));
    }

    /** Every model, in load order (demo catalog first, then catalog files by name). */
    public List<PublishedModel> all() {
        return models;
    }

    /**
     * The models a workspace may see (public ones and private ones that list it), optionally of one kind and
     * matching a case-insensitive text over slug, name and description; in load order.
     */
    public List<PublishedModel> visibleTo(String workspaceId, Kind kind, String text) {
        String needle = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        return models.stream()
                .filter(m -> m.visibleTo(workspaceId))
                .filter(m -> kind == null || m.kind() == kind)
                .filter(m -> needle == null || matches(m, needle))
                .toList();
    }

    /**
     * What the marketplace shows of one model (contract, current pricing, releases; never provider routes),
     * ready to write as JSON.
     */
    public Object marketplaceDetail(PublishedModel model) {
        return MarketplaceViews.detail(model);
    }

    public Optional<Release> release(PublishedModel model, String version) {
        return model.release(version);
    }

    private static boolean matches(PublishedModel m, String needle) {
        return m.slug().contains(needle) || m.name().toLowerCase(Locale.ROOT).contains(needle)
                || m.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    /** Every violation of the mode's input schema, with paths like {@code $.input.text}; empty when valid. */
    public List<FieldError> validateInput(Mode mode, JsonNode input) {
        return mode.validateInput(input);
    }

    /**
     * Every violation of the mode's params schema, with paths like {@code $.params.max_tokens}; empty when valid.
     * A mode without a params schema accepts only an empty object.
     */
    public List<FieldError> validateParams(Mode mode, JsonNode params) {
        return mode.validateParams(params);
    }
}
