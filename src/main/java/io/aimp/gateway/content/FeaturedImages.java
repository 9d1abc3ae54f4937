package io.aimp.gateway.content;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.media.MediaItem;
import io.aimp.gateway.media.MediaKind;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.RunService;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A post's featured image: an image of the workspace named by its media ref, or one made for the post by a nested
 * run of an image model ({@code params.featured_image} of a content {@code generate} run). The nested run goes
 * through the whole run pipeline as the caller (limits, its own hold, its own usage row with the content run as
 * parent, its own execution log) and ends by the content run's deadline.
 */
@Component
class FeaturedImages {

    static final int MAX_PROMPT_CHARS = 4000;
    private static final Set<String> FIELDS = Set.of("model", "size", "quality", "prompt", "overwrite");
    private static final String PATH = "params.featured_image";

    /**
     * What a run asked for.
     *
     * @param prompt    the image prompt, or {@code null} for one made from the post
     * @param overwrite whether a featured image the post already has is replaced
     */
    record Request(String model, String size, String quality, String prompt, boolean overwrite) {
    }

    private final CatalogService catalog;
    private final MediaService media;
    private final ObjectProvider<RunService> runs;

    FeaturedImages(CatalogService catalog, MediaService media, ObjectProvider<RunService> runs) {
        this.catalog = catalog;
        this.media = media;
        this.runs = runs;
    }

    /**
     * The media ref {@code value} names, checked to be an image of the caller's workspace; {@code null} for JSON
     * null (no featured image).
     *
     * @throws GatewayException 400 naming {@code path} otherwise
     */
    String existing(Principal principal, JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw GatewayException.invalidField("invalid_parameter", path, "must be the media_ref of an image, or null");
        }
        MediaItem item;
        try {
            item = media.get(principal, value.asString());
        } catch (GatewayException e) {
            throw GatewayException.invalidField("invalid_parameter", path,
                    "media " + Printable.of(value.asString()) + " was not found in this workspace");
        }
        if (item.kind() != MediaKind.IMAGE) {
            throw GatewayException.invalidField("invalid_parameter", path, "media " + item.id() + " is not an image");
        }
        return item.id();
    }

    /**
     * {@code params.featured_image}, checked before anything is called: an image model the caller's workspace may
     * run; {@code null} when the run asks for none.
     */
    Request request(Principal principal, JsonNode params) {
        JsonNode f = params.get("featured_image");
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isObject()) {
            throw GatewayException.invalidField("invalid_parameter", PATH,
                    "must be an object {model, size?, quality?, prompt?, overwrite?}");
        }
        for (String field : f.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw GatewayException.invalidField("invalid_parameter", PATH + "." + field,
                        "is not a field of featured_image (known: model, size, quality, prompt, overwrite)");
            }
        }
        String model = string(f, "model", true);
        PublishedModel found = catalog.find(model).filter(m -> m.visibleTo(principal.workspaceId())).orElse(null);
        if (found == null || !Kind.IMAGE.equals(found.kind())) {
            throw GatewayException.invalidField("invalid_parameter", PATH + ".model",
                    "must be an image model available to this workspace");
        }
        String prompt = string(f, "prompt", false);
        if (prompt != null && prompt.length() > MAX_PROMPT_CHARS) {
            throw GatewayException.invalidField("invalid_parameter", PATH + ".prompt",
                    "must be at most " + MAX_PROMPT_CHARS + " characters");
        }
        JsonNode overwrite = f.get("overwrite");
        if (overwrite != null && !overwrite.isBoolean()) {
            throw GatewayException.invalidField("invalid_parameter", PATH + ".overwrite", "must be true or false");
        }
        return new Request(found.slug(), string(f, "size", false), string(f, "quality", false), prompt,
                overwrite != null && overwrite.asBoolean());
    }

    /**
     * Runs the image model for {@code run} (one image) and answers the stored image's media ref and the nested
     * run's id. The nested run is charged and logged on its own; its failure fails the content run with the nested
     * run's problem.
     */
    Made make(Execution run, Request request, String prompt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", request.model());
        body.put("mode", "generate");
        body.putObject("input").put("prompt", request.prompt() != null ? request.prompt() : prompt);
        ObjectNode params = body.putObject("params");
        params.put("n", 1);
        if (request.size() != null) {
            params.put("size", request.size());
        }
        if (request.quality() != null) {
            params.put("quality", request.quality());
        }
        RunService.Result result = runs.getObject().submit(run.principal(), body,
                new RunService.Entry(run.requestId(), "content", null, run.runId(), run.deadlineMillis()));
        if (!(result instanceof RunService.RunOutcome outcome)) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "featured_image_failed",
                    "the featured image run answered a stored response").status(502).build();
        }
        JsonNode image = outcome.run().output() == null ? null : outcome.run().output().path("images").path(0);
        if (image == null || !image.path("media_ref").isString()) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "featured_image_failed",
                    "the featured image run " + outcome.run().id() + " returned no image").status(502).build();
        }
        return new Made(image.get("media_ref").asString(), outcome.run().id());
    }

    record Made(String mediaRef, String runId) {
    }

    private static String string(JsonNode f, String field, boolean required) {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw GatewayException.invalidField("missing_parameter", PATH + "." + field, "is required");
            }
            return null;
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw GatewayException.invalidField("invalid_parameter", PATH + "." + field, "must be a non-empty string");
        }
        return v.asString();
    }
}
