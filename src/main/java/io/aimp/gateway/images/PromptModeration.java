package io.aimp.gateway.images;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.providers.Attempt;
import io.aimp.gateway.providers.ModerationResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.runs.Execution;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The check of {@code image.moderation}: the prompt and the negative prompt go to the moderation route in one metered
 * call before the image call. A flagged text ends the run with 422 {@code moderation_flagged} and its categories;
 * the run is then charged the moderation call only (nothing was held for images yet). A moderation route that fails
 * fails the run as a {@code provider} problem and costs nothing: a prompt is never sent on unchecked.
 */
final class PromptModeration {

    static final String STEP = "moderation";

    private PromptModeration() {
    }

    /**
     * Checks {@code prompt} (and {@code negative}, when given) with {@code moderation}; returns when nothing was flagged.
     *
     * @throws GatewayException 422 {@code moderation_flagged} with {@code categories}, or the moderation call's failure
     */
    static void check(Execution run, ImageSettings.Moderation moderation, String prompt, String negative) {
        List<String> texts = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        texts.add(prompt);
        paths.add("$.input.prompt");
        if (negative != null && !negative.isBlank()) {
            texts.add(negative);
            paths.add("$.input.negative_prompt");
        }
        Routed<ModerationResult> routed = run.moderate(moderation.route(), moderation.priceMicros(), texts);
        List<ModerationResult.Verdict> verdicts = routed.value().verdicts();
        Set<String> categories = new LinkedHashSet<>();
        List<String> flaggedPaths = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i).flagged()) {
                categories.addAll(verdicts.get(i).flaggedCategories());
                flaggedPaths.add(paths.get(i));
            }
        }
        Attempt ok = routed.attempts().getLast();
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("texts", texts.size());
        detail.putArray("categories").addAll(categories.stream().map(JsonNodeFactory.instance::stringNode).toList());
        detail.put("cost_micros", moderation.priceMicros());
        run.logStep(STEP, ok.provider() + "/" + ok.model(), flaggedPaths.isEmpty() ? "passed" : "flagged",
                ok.latencyMs(), detail.toString());
        if (flaggedPaths.isEmpty()) {
            return;
        }
        String named = categories.isEmpty() ? "" : " (" + String.join(", ", categories) + ")";
        GatewayException.Builder flagged = GatewayException.of(ErrorCategory.INVALID_REQUEST, "moderation_flagged",
                        "the prompt was flagged by moderation" + named + "; no image was generated and only the"
                                + " moderation check was charged")
                .status(422).with("categories", List.copyOf(categories));
        for (String path : flaggedPaths) {
            flagged.error(path, "flagged by moderation" + named);
        }
        throw flagged.build();
    }
}
