package io.aimp.gateway.runs;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.FakeOpenAi;
import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What operations people and clients see of a running gateway: its own Prometheus metrics after runs
 * that succeed, fail at the provider and are refused by a limit; {@code /api/status/features}; and
 * release pinning with the deprecation headers. Its models ({@code ops-*}) are its own, so the counters
 * it reads count only its runs.
 */
@CheckedAgainstOpenApi
class OperationsHttpTest extends GatewayHttpTest {

    static final FakeOpenAi FAKE = new FakeOpenAi();
    static final Path CATALOG = writeCatalog();

    @DynamicPropertySource
    static void opsProperties(DynamicPropertyRegistry registry) {
        registry.add("aimp.catalog-dir", CATALOG::toString);
        registry.add("aimp.providers.ops-ok.type", () -> "openai");
        registry.add("aimp.providers.ops-ok.base-url", () -> FAKE.baseUrl("ok"));
        registry.add("aimp.providers.ops-ok.api-key", () -> "sk-test-provider-key-000000000000");
        registry.add("aimp.providers.ops-fail.type", () -> "openai");
        registry.add("aimp.providers.ops-fail.base-url", () -> FAKE.baseUrl("fail500"));
        registry.add("aimp.providers.ops-fail.api-key", () -> "sk-test-provider-key-000000000000");
        // one try per route: the failing run makes exactly one failed attempt
        registry.add("aimp.router.max-retries", () -> "0");
        registry.add("aimp.router.circuit-minimum-calls", () -> "1000");
        registry.add("aimp.router.circuit-window", () -> "1000");
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    private static Map<String, Object> run(String model, Map<String, Object> options) {
        return options == null ? Map.of("model", model, "input", Map.of("text", "hello"))
                : Map.of("model", model, "input", Map.of("text", "hello"), "options", options);
    }

    @Test
    void scrape_counts_runs_attempts_refusals_credits_and_commits_with_low_cardinality_labels() {
        Response topUp = owner.post("/api/billing/wallet/credits", Map.of("amount", "1.00", "reason", "metrics test"));
        assertThat(topUp.status()).as(topUp.describe()).isEqualTo(200);

        Response ok = owner.post("/api/runs", run("ops-text", null));
        assertThat(ok.status()).as(ok.describe()).isEqualTo(200);
        Response failed = owner.post("/api/runs", run("ops-fail", null));
        assertThat(failed.status()).as(failed.describe()).isGreaterThanOrEqualTo(500);
        Response first = owner.post("/api/runs", run("ops-limited", null));
        assertThat(first.status()).as(first.describe()).isEqualTo(200);
        Response refused = owner.post("/api/runs", run("ops-limited", null));
        assertProblem(refused, 429, "rate_limited", "limit");

        TestAccounts.Key developer = accounts.key("developer");
        assertThat(anonymous.withKey(developer.secret()).get("/api/admin/prometheus").status()).isEqualTo(403);
        Response scrape = owner.get("/api/admin/prometheus");
        assertThat(scrape.status()).as(scrape.describe()).isEqualTo(200);
        String text = scrape.text();

        assertThat(value(text, "aimp_runs_total", Map.of("model", "ops-text", "mode", "execute", "status", "succeeded",
                "entry_point", "rest"))).isEqualTo(1.0);
        assertThat(value(text, "aimp_runs_total", Map.of("model", "ops-fail", "status", "failed", "entry_point", "rest")))
                .isEqualTo(1.0);
        assertThat(value(text, "aimp_runs_total", Map.of("model", "ops-limited", "status", "succeeded"))).isEqualTo(1.0);
        assertThat(value(text, "aimp_runs_total", Map.of("model", "ops-limited", "status", "blocked"))).isEqualTo(1.0);
        assertThat(value(text, "aimp_limit_refusals_total", Map.of("dimension", "requests_per_minute", "scope", "release")))
                .isEqualTo(1.0);

        assertThat(value(text, "aimp_provider_attempts_total", Map.of("provider", "ops-fail", "provider_model", "broken",
                "outcome", "failed", "failure_class", "server_error"))).isEqualTo(1.0);
        assertThat(value(text, "aimp_provider_attempts_total", Map.of("provider", "ops-ok", "provider_model", "good",
                "outcome", "ok", "failure_class", "none"))).isGreaterThanOrEqualTo(2.0);
        assertThat(value(text, "aimp_provider_attempt_duration_seconds_count", Map.of("provider", "ops-fail",
                "outcome", "failed"))).isEqualTo(1.0);
        assertThat(value(text, "aimp_provider_breaker_state", Map.of("provider", "ops-fail", "provider_model", "broken")))
                .isEqualTo(0.0);

        // 0.01 per run for the two priced runs that ran (the refused one was refused before the wallet reserved);
        // the other models of this class are free
        assertThat(value(text, "aimp_credits_reserved_microcredits_total", Map.of())).isEqualTo(20_000.0);
        assertThat(value(text, "aimp_credits_charged_microcredits_total", Map.of())).isEqualTo(20_000.0);
        assertThat(value(text, "aimp_group_commit_batch_size_count", Map.of())).isGreaterThanOrEqualTo(3.0);
        assertThat(value(text, "aimp_group_commit_wait_seconds_count", Map.of())).isGreaterThanOrEqualTo(3.0);
        assertThat(value(text, "aimp_async_queue_depth", Map.of())).isGreaterThanOrEqualTo(0.0);
        assertThat(value(text, "aimp_job_queue_depth", Map.of())).isGreaterThanOrEqualTo(0.0);
        assertThat(value(text, "aimp_vector_catchup_lag_generations_count", Map.of())).isGreaterThanOrEqualTo(0.0);

        // every gateway metric that docs/operations.md and the Grafana dashboard name is in the scrape
        Set<String> named = new TreeSet<>();
        for (String doc : List.of("docs/operations.md", "docs/grafana-dashboard.json")) {
            Matcher names = Pattern.compile("aimp_(?!sk_)[a-z_]+[a-z]").matcher(read(doc));
            while (names.find()) {
                named.add(names.group());
            }
        }
        assertThat(named).contains("aimp_runs_total", "aimp_provider_breaker_state", "aimp_job_queue_depth");
        List<String> series = text.lines().filter(l -> l.startsWith("aimp_")).toList();
        for (String name : named) {
            assertThat(series).as(name + " named in the docs").anyMatch(l -> l.startsWith(name));
        }

        // low cardinality: no series of the gateway's own metrics carries an id
        for (String line : text.lines().filter(l -> l.startsWith("aimp_")).toList()) {
            assertThat(line).doesNotContain("run_", "key_", "ws_", "workspace", "user_id");
        }
    }

    @Test
    void features_name_what_is_on_with_scope_backends_providers_and_kinds() {
        Response r = owner.get("/api/status/features");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonNode body = r.json();
        JsonNode on = body.path("features");
        assertThat(on.path("billing").asBoolean()).isTrue();
        assertThat(on.path("limits").asBoolean()).isTrue();
        assertThat(on.path("cluster_limits").asBoolean()).isFalse();
        assertThat(on.path("idempotency").asBoolean()).isTrue();
        assertThat(on.path("vectors").asBoolean()).as(r.describe()).isTrue();
        assertThat(on.path("media_store").asBoolean()).isTrue();
        assertThat(on.path("playground").asBoolean()).isTrue();
        assertThat(body.path("caller").path("playground").asBoolean()).as("the owner may use the playground").isTrue();
        JsonNode details = body.path("details");
        assertThat(details.path("limits").path("scope").asString()).isEqualTo("node");
        assertThat(details.path("media_store").path("backend").asString()).isEqualTo("filesystem");
        List<String> providers = new ArrayList<>();
        details.path("providers").path("configured").forEach(n -> providers.add(n.asString()));
        assertThat(providers).contains("ops-ok", "ops-fail", "local");
        List<String> kinds = new ArrayList<>();
        details.path("kinds").path("runnable").forEach(n -> kinds.add(n.asString()));
        assertThat(kinds).contains("text", "chat", "embedding");
        assertThat(body.path("caller").path("run_models").asBoolean()).isTrue();
        assertThat(r.text()).doesNotContain("sk-test-provider-key", "127.0.0.1");

        TestAccounts.Key viewer = accounts.key("viewer");
        Response asViewer = anonymous.withKey(viewer.secret()).get("/api/status/features");
        assertThat(asViewer.status()).as(asViewer.describe()).isEqualTo(200);
        assertThat(asViewer.json().path("caller").path("run_models").asBoolean()).isFalse();
        assertThat(asViewer.json().path("caller").path("playground").asBoolean()).isFalse();
        Response asMember = anonymous.withKey(accounts.key("member").secret()).get("/api/status/features");
        assertThat(asMember.json().path("caller").path("run_models").asBoolean()).isTrue();
        assertThat(asMember.json().path("caller").path("playground").asBoolean()).as("members may run, not use the playground")
                .isFalse();
        assertThat(anonymous.get("/api/status/features").status()).isEqualTo(401);
    }

    @Test
    void a_pinned_deprecated_release_runs_and_says_so_in_headers() {
        Response current = owner.post("/api/runs", run("ops-pinned", null));
        assertThat(current.status()).as(current.describe()).isEqualTo(200);
        assertThat(current.get("release")).isEqualTo("2.0.0");
        assertThat(current.header("Deprecation")).isNull();

        Response pinned = owner.post("/api/runs", run("ops-pinned", Map.of("release", "1.0.0")));
        assertThat(pinned.status()).as(pinned.describe()).isEqualTo(200);
        assertThat(pinned.get("release")).isEqualTo("1.0.0");
        assertThat(pinned.get("deprecation")).contains("use 2.0.0");
        long deprecatedAt = LocalDate.parse("2026-11-01").atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertThat(pinned.header("Deprecation")).isEqualTo("@" + deprecatedAt);
        assertThat(pinned.header("Sunset")).isEqualTo("Wed, 30 Jun 2027 00:00:00 GMT");
        assertThat(pinned.headers().get("link")).anySatisfy(l ->
                assertThat(l).isEqualTo("</api/marketplace/models/ops-pinned>; rel=\"deprecation\"; type=\"application/json\""));

        Response again = owner.get("/api/runs/" + pinned.get("id"));
        assertThat(again.header("Deprecation")).isEqualTo("@" + deprecatedAt);

        Response page = owner.get("/api/marketplace/models/ops-pinned");
        assertThat(page.status()).as(page.describe()).isEqualTo(200);
        assertThat(page.json().path("releases").toString()).contains("\"retired\":true", "2027-06-30T00:00:00Z");
    }

    @Test
    void a_retired_release_answers_410_with_its_replacement_and_an_unknown_one_404() {
        Response retired = owner.post("/api/runs", run("ops-pinned", Map.of("release", "0.9.0")));
        JsonNode p = assertProblem(retired, 410, "release_retired", "invalid_request");
        assertThat(p.path("replacement").asString()).isEqualTo("2.0.0");
        assertThat(p.path("detail").asString()).contains("2.0.0");

        Response unknown = owner.post("/api/runs", run("ops-pinned", Map.of("release", "3.0.0")));
        JsonNode u = assertProblem(unknown, 404, "release_not_found", "invalid_request");
        assertThat(u.path("detail").asString()).contains("2.0.0", "1.0.0").doesNotContain("0.9.0");

        Response malformed = owner.post("/api/runs", run("ops-pinned", Map.of("release", "1.0")));
        JsonNode m = assertProblem(malformed, 400, "invalid_option", "invalid_request");
        assertThat(m.path("errors").get(0).path("path").asString()).isEqualTo("$.options.release");
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of the one series of {@code name} whose labels include {@code labels}. */
    static double value(String scrape, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        List<Double> found = new ArrayList<>();
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            if (labels.entrySet().stream().allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        assertThat(found).as(name + labels + " in\n" + scrape.lines().filter(x -> x.startsWith(name)).toList())
                .hasSize(1);
        return found.getFirst();
    }

    private static Path writeCatalog() {
        Path dir = TestSecrets.tempDir("aimp-ops-catalog-");
        String contract = """
                kind: text
                visibility: public
                modes:
                  execute:
                    input: {type: object, required: [text], additionalProperties: false, properties: {text: {type: string}}}
                text: {prompt: "{{input.text}}"}
                """;
        write(dir, "ops-text.yaml", """
                slug: ops-text
                name: Ops text
                description: answers through the fake provider
                releases:
                  - version: 1.0.0
                    routes: [{provider: ops-ok, model: good, timeout_ms: 5000}]
                    pricing: {per_run: 0.01}
                """ + contract);
        write(dir, "ops-fail.yaml", """
                slug: ops-fail
                name: Ops fail
                description: its only route answers 500
                releases:
                  - version: 1.0.0
                    routes: [{provider: ops-fail, model: broken, timeout_ms: 5000}]
                """ + contract);
        write(dir, "ops-limited.yaml", """
                slug: ops-limited
                name: Ops limited
                description: one request per minute
                releases:
                  - version: 1.0.0
                    routes: [{provider: ops-ok, model: good, timeout_ms: 5000}]
                    pricing: {per_run: 0.01}
                    limits: {requests_per_minute: 1}
                """ + contract);
        write(dir, "ops-pinned.yaml", """
                slug: ops-pinned
                name: Ops pinned
                description: a current release, a deprecated one with a sunset and a retired one
                current: 2.0.0
                releases:
                  - version: 2.0.0
                    routes: [{provider: ops-ok, model: good, timeout_ms: 5000}]
                  - version: 1.0.0
                    routes: [{provider: ops-ok, model: good, timeout_ms: 5000}]
                    deprecated: "1.0.0 is deprecated; use 2.0.0"
                    deprecated_at: 2026-11-01
                    sunset: 2027-06-30
                  - version: 0.9.0
                    routes: [{provider: ops-ok, model: good, timeout_ms: 5000}]
                    deprecated: "0.9.0 was retired; use 2.0.0"
                    retired: true
                """ + contract);
        return dir;
    }

    private static void write(Path dir, String name, String yaml) {
        try {
            Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
