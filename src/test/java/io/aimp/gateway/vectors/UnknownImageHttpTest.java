package io.aimp.gateway.vectors;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayHttpTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An image item must be an upload of the caller's workspace; anything else is refused before indexing. */
@CheckedAgainstOpenApi
class UnknownImageHttpTest extends GatewayHttpTest {

    @Test
    void should_refuse_an_unknown_media_ref_with_its_path_and_index_nothing() {
        var r = owner.post("/api/runs", Map.of("model", "clipo", "mode", "index", "scope", "unknown-media", "params", Map.of(),
                "input", Map.of("images", List.of(Map.of("media_ref", "media_abc", "filename", "image.png")),
                        "image_ids", List.of("image-1"))));

        var problem = assertProblem(r, 404, "media_not_found", "invalid_request");
        assertThat(problem.path("errors").path(0).path("path").asString()).isEqualTo("$.input.images[0].media_ref");
        assertThat(owner.get("/api/knowledge-bases").json().path("data").findValuesAsString("scope"))
                .doesNotContain("unknown-media");
    }
}
