package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.images.ImageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image models in examples/catalog load as they are documented, one per provider API shape. */
class ImageExamplesTest {

    @Test
    void should_load_the_image_examples_for_both_provider_shapes() {
        List<PublishedModel> models = TestKinds.loader("openai", "sdwebui", "sdwebui-backup")
                .load(new CatalogProperties(Path.of("examples/catalog"), false));

        assertThat(models).extracting(PublishedModel::slug).contains("openai-images", "sd-images");
        PublishedModel openai = models.stream().filter(m -> m.slug().equals("openai-images")).findFirst().orElseThrow();
        assertThat(openai.kind()).isEqualTo(Kind.IMAGE);
        assertThat(openai.settings(ImageSettings.class).sizes()).contains("1792x1024");
        assertThat(openai.settings(ImageSettings.class).moderation())
                .isEqualTo(new ImageSettings.Moderation(new RouteSpec("openai", "omni-moderation-latest",
                        Duration.ofMillis(10_000)), 1_000));
        PublishedModel sd = models.stream().filter(m -> m.slug().equals("sd-images")).findFirst().orElseThrow();
        assertThat(sd.settings(ImageSettings.class).maxN()).isEqualTo(4);
    }

    @Test
    void should_refuse_at_load_a_moderation_route_of_an_unknown_provider_or_with_a_bad_price(@TempDir Path dir)
            throws IOException {
        String example = Files.readString(Path.of("examples/catalog/openai-images.yaml"));
        Path file = dir.resolve("openai-images.yaml");
        Files.writeString(file, example.replace("provider: openai            # a configured", "provider: moderator # a")
                .replace("price: 0.001 ", "price: -1 "));

        assertThatThrownBy(() -> TestKinds.loader("openai").load(new CatalogProperties(dir, false)))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        file + ": image.moderation.provider 'moderator' is not configured (configure"
                                + " aimp.providers.moderator; configured: openai)",
                        file + ": image.moderation.price must be an amount of credits such as 0.0001, not negative"));
    }
}
