package io.aimp.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.OpenApiContractCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real traffic against the OpenAPI document: a broad walk over the API (runs, media, marketplace, billing,
 * limits, keys, members, jobs, conversations, knowledge bases, logs, status and failures) through a recording
 * client; every request and answer must match the document, or the test lists what does not.
 */
class OpenApiTrafficTest extends GatewayHttpTest {

    @Test
    void should_answer_every_route_as_the_document_says() {
        OpenApiContractCheck check = new OpenApiContractCheck();
        GatewayClient anon = anonymous.recording(check.recorder());
        GatewayClient me = anon.withKey(OWNER_KEY);

        // runs: the seed example, async, reads, a failure with field errors
        GatewayClient.Response run = me.post("/api/runs", Map.of("model", "demo-model", "mode", "execute", "scope", "playground",
                "input", Map.of("text", "Write a one-line summary."), "params", Map.of()));
        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        me.get("/api/runs/" + run.get("id"));
        me.get("/api/runs?limit=5");
        GatewayClient.Response queued = me.post("/api/runs", Map.of("model", "demo-model", "input", Map.of("text", "later"),
                "options", Map.of("async", true)));
        assertThat(queued.status()).as(queued.describe()).isEqualTo(202);
        me.send("POST", "/api/runs/" + queued.get("id") + "/cancel", null, null);
        me.post("/api/runs", Map.of("model", "demo-model", "input", Map.of("text", 5)));
        me.post("/api/runs", Map.of("model", "demo-model", "input", Map.of(), "parameters", Map.of()));
        me.get("/api/runs/run_missing");
        anon.get("/api/runs");

        // media: init, PUT the bytes to the upload URL, complete, read, list, download, delete
        byte[] bytes = "hello, media".getBytes(StandardCharsets.UTF_8);
        GatewayClient.Response init = me.post("/api/media/upload/init", Map.of("filename", "note.txt",
                "content_type", "text/plain", "media_type", "file", "size_bytes", bytes.length));
        assertThat(init.status()).as(init.describe()).isEqualTo(201);
        String uploadPath = init.get("upload_url").substring(PUBLIC_URL.length());
        anon.send("PUT", uploadPath, "application/octet-stream", bytes);
        GatewayClient.Response done = me.post("/api/media/upload/complete", Map.of("upload_id", init.get("upload_id")));
        assertThat(done.status()).as(done.describe()).isEqualTo(201);
        String ref = done.get("media_ref");
        me.get("/api/media/" + ref);
        me.get("/api/media?limit=5");
        me.get("/api/media/" + ref + "/content");
        me.delete("/api/media/" + ref);
        me.post("/api/media/upload/init", Map.of("filename", "x.bin"));

        // marketplace, billing, limits, logs, status
        me.get("/api/marketplace/models");
        me.get("/api/marketplace/models/demo-model");
        me.get("/api/marketplace/models/no-such-model");
        me.get("/api/marketplace/models?limit=0");
        me.get("/api/billing/wallet");
        me.get("/api/billing/ledger?limit=5");
        me.get("/api/billing/usage/summary");
        me.post("/api/billing/wallet/credits", Map.of("amount", "1.5", "reason", "contract test"));
        me.get("/api/limits");
        me.get("/api/logs/usage?limit=5");
        me.get("/api/logs/executions?limit=5");
        me.get("/api/stats/usage");
        anon.get("/api/status");
        me.get("/api/status/auth");
        me.get("/api/status/permissions");
        me.get("/api/status/features");

        // keys, members, workspaces
        GatewayClient.Response key = me.post("/api/keys", Map.of("name", "contract", "role", "member"));
        assertThat(key.status()).as(key.describe()).isEqualTo(201);
        me.get("/api/keys");
        me.get("/api/keys/" + key.get("id"));
        me.get("/api/keys/" + key.get("id") + "/limits");
        me.delete("/api/keys/" + key.get("id"));
        me.get("/api/members");
        me.get("/api/invitations");
        me.get("/api/workspaces");

        // jobs, conversations, knowledge bases
        GatewayClient.Response job = me.post("/api/jobs", Map.of("model", "demo-model",
                "items", List.of(Map.of("text", "one"), Map.of("text", "two"))));
        me.get("/api/jobs");
        if (job.get("id") != null) {
            me.get("/api/jobs/" + job.get("id"));
            me.get("/api/jobs/" + job.get("id") + "/items");
        }
        me.get("/api/conversations");
        me.get("/api/conversations/conv_missing");
        me.get("/api/knowledge-bases");

        // failures of the edge
        me.get("/api/no-such-route");
        me.send("POST", "/api/runs", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
        me.json("POST", "/api/runs", "{\"model\": ");

        assertThat(check.recorded()).isGreaterThan(50);
        List<String> violations = check.violations(anonymous);
        assertThat(violations).as(String.join("\n", violations)).isEmpty();
    }

    @Test
    void should_fail_an_answer_that_breaks_the_document() {
        // given answers a broken gateway could give: a run without its status, a wallet balance as a number,
        // a refusal that is not problem JSON
        OpenApiContractCheck check = new OpenApiContractCheck();
        java.util.function.Consumer<GatewayClient.Exchange> record = check.recorder();
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
        Map<String, String> key = Map.of("X-API-Key", OWNER_KEY);
        record.accept(new GatewayClient.Exchange("GET", "/api/runs/run_1", key, null, new GatewayClient.Response(200, json,
                "{\"id\":\"run_1\",\"object\":\"run\",\"model\":\"demo-model\",\"mode\":\"execute\",\"created_at\":\"2026-12-07T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8))));
        record.accept(new GatewayClient.Exchange("GET", "/api/billing/wallet", key, null, new GatewayClient.Response(200, json,
                "{\"balance\":12,\"available\":\"1.000000\"}".getBytes(StandardCharsets.UTF_8))));
        record.accept(new GatewayClient.Exchange("GET", "/api/runs/run_1", key, null, new GatewayClient.Response(404,
                Map.of("Content-Type", List.of("text/html")), "<h1>Not found</h1>".getBytes(StandardCharsets.UTF_8))));

        // when
        List<String> violations = check.violations(anonymous);

        // then each is named
        assertThat(violations).hasSize(3);
        assertThat(violations.get(0)).contains("status");
        assertThat(violations.get(1)).contains("/balance");
        assertThat(violations.get(2)).contains("404");
    }
}
