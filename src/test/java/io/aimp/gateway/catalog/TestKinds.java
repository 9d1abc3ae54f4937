package io.aimp.gateway.catalog;

import io.aimp.gateway.assistants.AssistantSettings;
import io.aimp.gateway.chat.ChatSettings;
import io.aimp.gateway.content.ContentSettings;
import io.aimp.gateway.forms.FormSettings;
import io.aimp.gateway.images.ImageSettings;
import io.aimp.gateway.text.TextSettings;
import io.aimp.gateway.vectors.EmbeddingSettings;
import io.aimp.gateway.workflows.WorkflowChecks;
import java.util.List;

/** The kinds the gateway registers, for catalog tests that load files without a running gateway. */
final class TestKinds {

    private TestKinds() {
    }

    static List<KindSettings<?>> builtIn() {
        return List.of(new TextSettings.Reader(), new ChatSettings.Reader(), new AssistantSettings.Reader(),
                new EmbeddingSettings.Reader(), WorkflowChecks.reader(), new ImageSettings.Reader(),
                new FormSettings.Reader(), new ContentSettings.Reader());
    }

    static java.util.Set<Kind> names() {
        return new CatalogLoader(java.util.Set.of(), builtIn()).kinds();
    }

    static CatalogLoader loader(String... providers) {
        return new CatalogLoader(java.util.Set.of(providers), builtIn());
    }
}
