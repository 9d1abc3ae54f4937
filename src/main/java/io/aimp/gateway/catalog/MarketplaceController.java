package io.aimp.gateway.catalog;

import static io.aimp.gateway.common.QueryParams.intParam;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.MarketplaceViews.ModelDetail;
import io.aimp.gateway.catalog.MarketplaceViews.ModelList;
import io.aimp.gateway.common.GatewayException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The marketplace: public models plus the private models of the caller's workspace, narrowed to a key's
 * model allowlist. Any role may browse.
 */
@RestController
@RequestMapping("/api/marketplace/models")
class MarketplaceController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final CatalogService catalog;
    private final List<ReleaseEvaluations> evaluations;

    MarketplaceController(CatalogService catalog, List<ReleaseEvaluations> evaluations) {
        this.catalog = catalog;
        this.evaluations = evaluations;
    }

    @GetMapping
    ModelList list(Principal principal, @RequestParam(required = false) String kind,
                   @RequestParam(required = false) String q, @RequestParam(required = false) String limit,
                   @RequestParam(required = false) String offset) {
        int size = intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        int from = intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        // a key with a model allowlist sees only the models it may run
        List<PublishedModel> found = catalog.availableTo(principal, kindParam(kind), q);
        List<MarketplaceViews.ModelSummary> page = found.stream().skip(from).limit(size).map(MarketplaceViews::summary).toList();
        return new ModelList("list", page, found.size(), size, from);
    }

    @GetMapping("/{slug}")
    ModelDetail get(Principal principal, @PathVariable String slug) {
        return catalog.find(slug)
                .filter(m -> CatalogService.availableTo(principal, m))
                .map(m -> MarketplaceViews.detail(m, lastEvaluations(principal, m)))
                .orElseThrow(() -> GatewayException.notFound("model '" + slug + "'"));
    }

    private Map<String, Object> lastEvaluations(Principal principal, PublishedModel m) {
        Map<String, Object> all = new HashMap<>();
        evaluations.forEach(e -> all.putAll(e.lastByRelease(principal, m)));
        return all;
    }

    private Kind kindParam(String kind) {
        if (kind == null || kind.isEmpty()) {
            return null;
        }
        return catalog.kinds().stream().filter(k -> k.wireName().equals(kind)).findFirst()
                .orElseThrow(() -> GatewayException.invalidField("invalid_parameter", "kind", "kind must be one of "
                        + String.join(", ", catalog.kinds().stream().map(Kind::wireName).sorted().toList())));
    }

}
