package io.aimp.gateway.images;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.media.MediaItem;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.media.MediaService.CheckedImage;
import io.aimp.gateway.providers.ImageEditRequest;
import io.aimp.gateway.providers.ImageRequest;
import io.aimp.gateway.providers.ImageResult;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code image} kind, mode {@code generate}: input {@code {prompt, negative_prompt?}}, params
 * {@code {size?, n?, quality?, style?, seed?, response?}} within the model's {@code image:} block. The release's routes
 * answer; each answer's images (base64, or a URL fetched through the egress client) are checked as uploads are
 * (sniffed type, size and pixel caps, header only) inside the metered call, so an answer with a bad image fails
 * that route, costs nothing and falls back to the next. The images kept are stored as media of the caller's
 * workspace. Output: {@code {images: [{media_ref, url, width, height, content_type}]}}. A model with
 * {@code image.moderation} has its prompts checked first ({@link PromptModeration}).
 */
@Component
class ImageExecutor implements RunExecutor {

    static final String GENERATE = "generate";
    static final String EDIT = "edit";

    private final MediaService media;
    private final ImageFetcher fetcher;
    private final ImageSlots slots;
    private final long maxInlineBytes;

    ImageExecutor(MediaService media, ImageFetcher fetcher, ImageSlots slots, ImagesProperties props) {
        this.media = media;
        this.fetcher = fetcher;
        this.slots = slots;
        this.maxInlineBytes = props.maxInlineBytes().toBytes();
    }

    @Override
    public Kind kind() {
        return ImageSettings.KIND;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        ImageSettings s = run.model().settings(ImageSettings.class);
        boolean edit = EDIT.equals(run.mode().name());
        if (!GENERATE.equals(run.mode().name()) && !edit) {
            throw GatewayException.invalidField("unsupported_mode", "$.mode",
                    "image models run modes generate and edit; " + run.mode().name() + " is not supported");
        }
        JsonNode params = run.params();
        String size = choice(params, "size", s.sizes());
        String quality = choice(params, "quality", s.qualities());
        int n = count(params, s.maxN());
        String style = text(params, "style");
        Long seed = seed(params);
        boolean inline = "b64".equals(choice(params, "response", List.of("url", "b64")));
        String prompt = run.input().path("prompt").asString("");
        if (prompt.isBlank()) {
            throw GatewayException.invalidField("invalid_input", "$.input.prompt", "prompt is required and must not be blank");
        }
        String negative = run.input().path("negative_prompt").isString() ? run.input().path("negative_prompt").asString() : null;
        Routed<List<CheckedImage>> routed;
        if (edit) {
            MediaService.Content image = source(run, "image", true);
            String imageType = image.item().contentType();
            byte[] imageBytes = bytes(image);
            MediaService.Content mask = source(run, "mask", false);
            ImageEditRequest request = new ImageEditRequest(null, prompt, imageBytes, imageType,
                    mask == null ? null : bytes(mask), n, size);
            try (ImageSlots.Slot ignored = slots.acquire(run.principal().workspaceId())) {
                moderate(run, s, prompt, null);
                routed = run.imageEdits(request, s.perImageMicros(size, quality), result -> accept(result, n),
                        kept -> new Usage(0, 0, kept.size(), false));
            }
        } else {
            ImageRequest request = new ImageRequest(null, prompt, negative, n, size, quality, style, seed);
            try (ImageSlots.Slot ignored = slots.acquire(run.principal().workspaceId())) {
                moderate(run, s, prompt, negative);
                routed = run.images(request, s.perImageMicros(size, quality), result -> accept(result, n),
                        kept -> new Usage(0, 0, kept.size(), false));
            }
        }
        ArrayNode images = JsonNodeFactory.instance.arrayNode();
        long inlined = 0;
        int i = 0;
        for (CheckedImage image : routed.value()) {
            i++;
            MediaItem item = media.storeImage(run.principal(), run.runId() + "-" + i + extension(image.contentType()), image);
            ObjectNode view = images.addObject();
            view.put("media_ref", item.id());
            view.put("url", media.contentUrl(item.id()));
            view.put("width", image.width());
            view.put("height", image.height());
            view.put("content_type", image.contentType());
            if (inline) {
                // the bytes inline as well, while the run's images together stay within the cap
                if (inlined + image.bytes().length <= maxInlineBytes) {
                    inlined += image.bytes().length;
                    view.put("b64_json", Base64.getEncoder().encodeToString(image.bytes()));
                } else {
                    view.put("b64_omitted", "over aimp.images.max-inline-bytes (" + maxInlineBytes
                            + " bytes per run): download it from url");
                }
            }
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.set("images", images);
        return new ExecutionResult(output, new Usage(0, 0, routed.value().size(), false), routed.route().provider(),
                routed.route().model());
    }

    /** The prompt check of {@code image.moderation}, when the model names one: before any image is held or asked for. */
    private static void moderate(Execution run, ImageSettings s, String prompt, String negative) {
        if (s.moderation() != null) {
            PromptModeration.check(run, s.moderation(), prompt, negative);
        }
    }

    /**
     * The images of one route's answer, each fetched (a URL) or decoded (base64) and checked; at most {@code n}
     * (the call is charged for these). Any image that fails refuses the whole answer as the route's failure.
     */
    private List<CheckedImage> accept(ImageResult result, int n) {
        List<String> answers = result.urlsOrBase64();
        if (answers.isEmpty()) {
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "the answer carries no images");
        }
        List<CheckedImage> kept = new ArrayList<>();
        for (String answer : answers.subList(0, Math.min(n, answers.size()))) {
            byte[] bytes = answer.startsWith("http://") || answer.startsWith("https://")
                    ? fetcher.fetch(answer) : decode(answer);
            try {
                kept.add(media.checkImage(bytes));
            } catch (MediaService.RefusedImage e) {
                throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "image " + (kept.size() + 1)
                        + " of the answer was refused: " + e.getMessage());
            }
        }
        return kept;
    }

    /** {@code input.<field>.media_ref}: an image of the caller's workspace (its bytes were checked when stored). */
    private MediaService.Content source(Execution run, String field, boolean required) {
        JsonNode ref = run.input().path(field).path("media_ref");
        if (!ref.isString()) {
            if (required || run.input().has(field)) {
                throw GatewayException.invalidField("invalid_input", "$.input." + field + ".media_ref",
                        field + " must be {\"media_ref\": \"media_...\"}, an image of this workspace");
            }
            return null;
        }
        MediaService.Content content = media.open(run.principal(), ref.asString());
        if (content.item().kind() != io.aimp.gateway.media.MediaKind.IMAGE) {
            closeQuietly(content);
            throw GatewayException.invalidField("invalid_input", "$.input." + field + ".media_ref",
                    "media " + content.item().id() + " is not an image");
        }
        return content;
    }

    private static byte[] bytes(MediaService.Content content) {
        try (var in = content.stream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw GatewayException.of(ErrorCategory.EXECUTION, "media_unreadable",
                    "the stored image " + content.item().id() + " could not be read").status(500).build();
        }
    }

    private static void closeQuietly(MediaService.Content content) {
        try {
            content.stream().close();
        } catch (java.io.IOException ignored) {
            // nothing was read
        }
    }

    private static byte[] decode(String base64) {
        String data = base64.startsWith("data:") && base64.indexOf(',') > 0 ? base64.substring(base64.indexOf(',') + 1) : base64;
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "an image of the answer is neither a URL nor base64");
        }
    }

    private static String choice(JsonNode params, String field, List<String> allowed) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return allowed.getFirst();
        }
        if (!v.isString() || !allowed.contains(v.stringValue())) {
            throw GatewayException.invalidField("invalid_params", "$.params." + field,
                    field + " must be one of " + String.join(", ", allowed) + " for this model");
        }
        return v.stringValue();
    }

    private static int count(JsonNode params, int max) {
        JsonNode v = params.get("n");
        if (v == null || v.isNull()) {
            return 1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > max) {
            throw GatewayException.invalidField("invalid_params", "$.params.n",
                    "n must be a whole number from 1 to " + max + " for this model");
        }
        return v.intValue();
    }

    private static String text(JsonNode params, String field) {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString() || v.stringValue().isBlank() || v.stringValue().length() > 64) {
            throw GatewayException.invalidField("invalid_params", "$.params." + field,
                    field + " must be a short name such as vivid");
        }
        return v.stringValue();
    }

    private static Long seed(JsonNode params) {
        JsonNode v = params.get("seed");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw GatewayException.invalidField("invalid_params", "$.params.seed", "seed must be a whole number, 0 or more");
        }
        return v.longValue();
    }

    private static String extension(String contentType) {
        return switch (contentType) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            default -> "";
        };
    }
}
