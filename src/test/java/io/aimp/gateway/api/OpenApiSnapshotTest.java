package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed {@code docs/openapi.json} (what the test client is generated from at build time) is the
 * document the gateway serves at {@code /api/openapi.json}, apart from the server URL and the build
 * version. {@code -Daimp.openapi.write=true} writes the live document there instead of comparing.
 */
class OpenApiSnapshotTest extends GatewayHttpTest {

    static final Path COMMITTED = Path.of("docs", "openapi.json");
    static final String REGENERATE = "./mvnw -o test -Dtest=OpenApiSnapshotTest -Daimp.openapi.write=true";
    private static final JsonMapper SORTED = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT, SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    /** The document with what depends on the installation set to fixed values. */
    static ObjectNode normalized(JsonNode doc) {
        ObjectNode d = (ObjectNode) doc.deepCopy();
        ((ObjectNode) d.path("info")).put("version", "see GET /api/status");
        d.putArray("servers").addObject().put("url", "http://localhost:8080").put("description", "this gateway");
        return d;
    }

    @Test
    void should_serve_the_committed_openapi_document() throws IOException {
        GatewayClient.Response live = anonymous.get("/api/openapi.json");
        assertThat(live.status()).as(live.describe()).isEqualTo(200);
        ObjectNode served = normalized(live.json());
        if (Boolean.getBoolean("aimp.openapi.write")) {
            // keys sorted: the file changes only where the document does
            Object plain = SORTED.treeToValue(served, Object.class);
            Files.writeString(COMMITTED, SORTED.writeValueAsString(plain) + "\n", StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(COMMITTED)).as(COMMITTED + " is missing: write it with " + REGENERATE).isTrue();
        JsonNode committed = SORTED.readTree(Files.readString(COMMITTED, StandardCharsets.UTF_8));
        List<String> differences = new ArrayList<>();
        diff("", committed, served, differences);
        assertThat(differences).as("the served /api/openapi.json differs from " + COMMITTED
                + " (the generated test client is built from that file); if the change is intended, regenerate it with:\n  "
                + REGENERATE + "\n").isEmpty();
    }

    /** Where two documents differ, as JSON pointers (the first 20). */
    private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
        if (out.size() >= 20 || a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            for (String name : a.propertyNames()) {
                if (!b.has(name)) {
                    out.add(at + "/" + name + " is no longer served");
                } else {
                    diff(at + "/" + name, a.get(name), b.get(name), out);
                }
            }
            for (String name : b.propertyNames()) {
                if (!a.has(name)) {
                    out.add(at + "/" + name + " is served but not in the file");
                }
            }
            return;
        }
        out.add(at + ": file has " + abbreviate(a) + ", served " + abbreviate(b));
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
