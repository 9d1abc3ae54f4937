package io.aimp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running gateway for bulk job and workflow tests, one Spring context for both: a test catalog
 * routed to {@link FakeOpenAi} ({@code fake-flaky}, {@code fake-echo}, {@code fake-ok}) with models
 * written by {@link BlocksCatalog}; its workflows search the demo catalog's {@code text-embed} model (see
 * {@link KnowledgeBases}).
 */
public abstract class BlocksHttpTest extends GatewayHttpTest {

    protected static final FakeOpenAi FAKE = new FakeOpenAi();
    private static final Path CATALOG = BlocksCatalog.write(TestSecrets.tempDir("aimp-blocks-catalog-"));

    @DynamicPropertySource
    static void blocksProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        for (String b : new String[] {"flaky", "echo", "ok"}) {
            registry.add("aimp.providers.fake-" + b + ".type", () -> "openai");
            registry.add("aimp.providers.fake-" + b + ".base-url", () -> FAKE.baseUrl(b));
            registry.add("aimp.providers.fake-" + b + ".api-key", () -> "sk-test-provider-key-000000000000");
        }
        registry.add("aimp.router.backoff-base", () -> "5ms");
        // the marked items' failures must not open the shared breaker: on a busy machine a failing item's
        // three tries can make half of the last few calls (breakers are RouterTest's and RouterHttpTest's)
        registry.add("aimp.router.circuit-window", () -> "1000");
        registry.add("aimp.router.circuit-minimum-calls", () -> "1000");
        registry.add("aimp.jobs.max-items", () -> "250");
        registry.add("aimp.jobs.workers", () -> "8");
    }

    /** A client signed in to a new workspace of its own (an empty wallet). */
    protected GatewayClient otherWorkspace() {
        TestAccounts.Member m = accounts.member("owner");
        GatewayClient first = anonymous.withBearer(TestAccounts.login(anonymous, m).accessToken());
        GatewayClient.Response ws = first.post("/api/workspaces", Map.of("name", "Other " + m.email()));
        assertThat(ws.status()).as(ws.describe()).isEqualTo(201);
        String wsId = ws.get("id");
        return anonymous.withBearer(TestAccounts.login(anonymous, m.email(), m.password(), wsId).accessToken());
    }

    static void write(Path dir, String name, String yaml) {
        try {
            Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
