package io.aimp.gateway.vectors;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;

import io.aimp.gateway.support.GatewayHttpTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without the media feature there is nothing to read images from, and the gateway says so. */
class ImagesWithoutMediaHttpTest extends GatewayHttpTest {

    @Test
    void should_answer_a_configuration_problem_for_image_items_when_no_image_source_exists() {
        var r = owner.post("/api/runs", Map.of("model", "clipo", "mode", "index", "scope", "test", "params", Map.of(),
                "input", Map.of("images", List.of(Map.of("media_ref", "media_abc", "filename", "image.png")),
                        "image_ids", List.of("image-1"))));

        assertProblem(r, 503, "media_not_available", "configuration");
    }
}
