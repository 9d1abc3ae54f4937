package io.aimp.gateway.catalog;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.auth.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published models of this gateway. Loaded once at start-up; an invalid catalog stops the start with a
 * {@link CatalogException} that lists every problem.
 */
@Service
public class CatalogService {

    private final Set<Kind> kinds;
    private final List<PublishedModel> models;
    private final Map<String, PublishedModel> bySlugOrId;
    private final Map<Kind, KindSettings<?>> readers = new LinkedHashMap<>();

    @Autowired
    CatalogService(CatalogProperties properties, ProviderNames providers, List<KindSettings<?>> kinds) {
        this(new CatalogLoader(providers.names(), kinds), properties);
        kinds.forEach(k -> readers.put(k.kind(), k));
    }

    private CatalogService(CatalogLoader loader, CatalogProperties properties) {
        this(loader.kinds(), loader.load(properties));
    }

    CatalogService(Set<Kind> kinds, List<PublishedModel> models) {
        this.kinds = Set.copyOf(kinds);
        this.models = List.copyOf(models);
        Map<String, PublishedModel> index = new LinkedHashMap<>();
        for (PublishedModel m : models) {
            index.put(m.slug(), m);
            index.put(m.id(), m);
        }
        this.bySlugOrId = Map.copyOf(index);
    }

    /** The kinds this gateway runs: the ones a {@link KindSettings} reads; the catalog holds no model of another. */
    public Set<Kind> kinds() {
        return kinds;
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
     * The models a caller may see and use: those visible to its workspace ({@link #visibleTo}) and, for a
     * key with a model allowlist, only those on it. The marketplace and the MCP server's tools and
     * resources list through this one rule.
     */
    public List<PublishedModel> availableTo(Principal principal, Kind kind, String text) {
        return visibleTo(principal.workspaceId(), kind, text).stream().filter(m -> availableTo(principal, m)).toList();
    }

    /** Whether {@code model} is visible to the caller's workspace and on its key's allowlist, if any. */
    public static boolean availableTo(Principal principal, PublishedModel model) {
        return model.visibleTo(principal.workspaceId()) && principal.mayUseModel(model.slug(), model.id());
    }

    /**
     * What the marketplace shows of one model (contract, current pricing, releases; never provider routes),
     * ready to write as JSON.
     */
    public Object marketplaceDetail(PublishedModel model) {
        return MarketplaceViews.detail(model);
    }

    /**
     * {@code model} with fields of its kind block replaced for one run (a playground prompt test): each field of
     * {@code overrides} replaces the block's field of that name and the block is read again, exactly as when the
     * catalog loads. Only the fields the kind declares {@link KindSettings#overridable() overridable} may be replaced.
     *
     * @param path where the overrides sit in the request, for field errors (e.g. {@code $.targets[1].overrides})
     * @throws GatewayException 400 {@code invalid_overrides} listing every field refused and every problem of the
     *                          block read again
     */
    public PublishedModel withOverrides(PublishedModel model, JsonNode overrides, String path) {
        KindSettings<?> reader = readers.get(model.kind());
        Set<String> allowed = reader == null ? Set.of() : reader.overridable();
        List<FieldError> errors = new ArrayList<>();
        if (!overrides.isObject()) {
            errors.add(new FieldError(path, "must be an object of " + model.kind().wireName() + " settings"));
        } else {
            for (String field : overrides.propertyNames()) {
                if (!allowed.contains(field)) {
                    errors.add(new FieldError(path + "." + field, allowed.isEmpty()
                            ? "a " + model.kind().wireName() + " model has no settings a playground run may override"
                            : "cannot be overridden; a " + model.kind().wireName() + " model overrides: "
                                    + String.join(", ", new TreeSet<>(allowed))));
                }
            }
        }
        if (errors.isEmpty()) {
            ObjectNode block = model.block() instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
            overrides.properties().forEach(e -> block.set(e.getKey(), e.getValue()));
            SettingsReader in = new SettingsReader((at, reason) -> errors.add(new FieldError(
                    path + at.replaceFirst("^" + Pattern.quote(model.kind().wireName()), ""), reason)));
            Object settings = reader.read(block, new KindSettings.Model(model.slug(), model.modes()), in);
            if (errors.isEmpty() && settings != null) {
                return model.withSettings(settings);
            }
        }
        throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_overrides",
                "the overrides of " + model.slug() + " are not valid " + model.kind().wireName() + " settings ("
                        + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + ")").errors(errors).build();
    }

    /** The problems of a JSON Schema (2020-12) a caller sent, each a sentence; empty when it is usable. */
    public static List<String> schemaProblems(JsonNode schema) {
        return JsonSchemas.problems(schema);
    }

    /**
     * Every violation of {@code schema} (one {@link #schemaProblems} accepted) by {@code value}, with paths under
     * {@code basePath}; empty when it matches.
     */
    public static List<FieldError> schemaViolations(JsonNode schema, JsonNode value, String basePath) {
        return JsonSchemas.violations(JsonSchemas.compile(schema), value, basePath);
    }

    /**
     * {@link #schemaViolations} for a schema a caller sent, checked against text a model wrote: every {@code pattern}
     * is matched with a bound on its work.
     *
     * @throws io.aimp.gateway.common.BoundedMatch.TooComplex when a pattern needs more work than the bound on a value
     */
    public static List<FieldError> boundedSchemaViolations(JsonNode schema, JsonNode value, String basePath) {
        return JsonSchemas.boundedViolations(schema, value, basePath);
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
