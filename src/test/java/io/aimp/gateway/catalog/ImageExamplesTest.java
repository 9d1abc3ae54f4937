package io.aimp.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.images.ImageSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        PublishedModel sd = models.stream().filter(m -> m.slug().equals("sd-images")).findFirst().orElseThrow();
        assertThat(sd.settings(ImageSettings.class).maxN()).isEqualTo(4);
    }
}
