package io.aimp.gateway.api;

import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * With {@code aimp.http.lean-runs} on (the default), the edge answers {@code POST /api/runs} itself:
 * Spring MVC's dispatcher never sees it (an interceptor on every handler counts what it dispatches),
 * while the answer, its problems and its {@code http.server.requests} series look as before. Requests in
 * another form still go through the dispatcher.
 */
@Import(LeanRoutesHttpTest.Dispatched.class)
@ExtendWith(OutputCaptureExtension.class)
class LeanRoutesHttpTest extends GatewayHttpTest {

    /** "METHOD path" of every request the dispatcher handed to a handler. */
    static final Queue<String> DISPATCHED = new ConcurrentLinkedQueue<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class Dispatched {
        @Bean
        WebMvcConfigurer countDispatches() {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(new HandlerInterceptor() {
                        @Override
                        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                            DISPATCHED.add(request.getMethod() + " " + request.getRequestURI());
                            return true;
                        }
                    });
                }
            };
        }
    }

    private static final Map<String, Object> RUN = Map.of("model", "demo-model", "input", Map.of("text", "Hello there."));

    @BeforeEach
    void forget() {
        DISPATCHED.clear();
    }

    @Test
    void should_answer_a_run_without_the_dispatcher(CapturedOutput output) {
        Response run = owner.withHeader("X-Request-Id", "lean-access-log-1").post("/api/runs", RUN);

        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(run.contentType()).isEqualTo("application/json");
        assertThat(run.header("Content-Length")).isEqualTo(String.valueOf(run.body().length));
        assertThat(run.header("X-Request-Id")).isEqualTo("lean-access-log-1");
        // the edge's access-log line names the route, as for a dispatched request
        assertThat(output.getAll().lines().filter(l -> l.contains("request_id=lean-access-log-1") && l.contains("aimp.access")))
                .singleElement(InstanceOfAssertFactories.STRING).contains("method=POST route=/api/runs status=200");
        assertThat(run.json().path("status").asString()).isEqualTo("succeeded");
        assertThat(DISPATCHED).doesNotContain("POST /api/runs");

        // the interceptor does see what the dispatcher handles
        Response read = owner.get("/api/runs/" + run.get("id"));
        assertThat(read.status()).as(read.describe()).isEqualTo(200);
        assertThat(DISPATCHED).contains("GET /api/runs/" + run.get("id"));
    }

    @Test
    void should_answer_problems_of_a_run_without_the_dispatcher() {
        Response malformed = owner.send("POST", "/api/runs", "application/json", "{\"model\":".getBytes(StandardCharsets.UTF_8));
        Response empty = owner.send("POST", "/api/runs", "application/json", new byte[0]);
        Response unknown = owner.post("/api/runs", Map.of("model", "no-such-model", "input", Map.of("text", "x")));
        Response anonymousRun = anonymous.post("/api/runs", RUN);

        assertProblem(malformed, 400, "malformed_json", "invalid_request");
        assertProblem(empty, 400, "missing_body", "invalid_request");
        assertThat(unknown.status()).as(unknown.describe()).isEqualTo(404);
        assertThat(unknown.header("Content-Length")).isEqualTo(String.valueOf(unknown.body().length));
        assertProblem(anonymousRun, 401, "authentication_required", "authentication");
        assertThat(DISPATCHED).doesNotContain("POST /api/runs");
    }

    @Test
    void should_leave_other_forms_of_the_request_to_the_dispatcher() {
        Response weighted = owner.withHeader("Accept", "application/json;q=0.9").post("/api/runs", RUN);
        Response latin1 = owner.send("POST", "/api/runs", "application/json;charset=ISO-8859-1",
                "{\"model\":\"demo-model\",\"input\":{\"text\":\"Hello there.\"}}".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(weighted.status()).as(weighted.describe()).isEqualTo(200);
        assertThat(latin1.status()).as(latin1.describe()).isEqualTo(200);
        assertThat(DISPATCHED).containsExactly("POST /api/runs", "POST /api/runs");
    }

    @Test
    void should_record_the_run_in_http_server_requests_with_the_labels_of_the_dispatched_routes() {
        Response run = owner.post("/api/runs", RUN);
        assertThat(run.status()).as(run.describe()).isEqualTo(200);
        assertThat(owner.get("/api/runs/" + run.get("id")).status()).isEqualTo(200);

        String scrape = owner.get("/api/admin/prometheus").text();
        Map<String, String> lean = series(scrape, "POST", "/api/runs", "200");
        Map<String, String> dispatched = series(scrape, "GET", "/api/runs/{id}", "200");
        assertThat(lean).containsEntry("outcome", "SUCCESS").containsEntry("exception", "none");
        assertThat(new TreeSet<>(lean.keySet())).isEqualTo(new TreeSet<>(dispatched.keySet()));
    }

    /** The labels of the one {@code http_server_requests_seconds_count} series of this method, route and status. */
    private static Map<String, String> series(String scrape, String method, String uri, String status) {
        Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{(.*)\\} \\S+$", Pattern.MULTILINE).matcher(scrape);
        List<Map<String, String>> found = new java.util.ArrayList<>();
        while (m.find()) {
            Map<String, String> labels = new java.util.LinkedHashMap<>();
            Matcher l = Pattern.compile("([a-z_]+)=\"([^\"]*)\"").matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (method.equals(labels.get("method")) && uri.equals(labels.get("uri")) && status.equals(labels.get("status"))) {
                found.add(labels);
            }
        }
        assertThat(found).as(method + " " + uri + " " + status + " in\n"
                + scrape.lines().filter(x -> x.startsWith("http_server_requests_seconds_count")).toList()).hasSize(1);
        return found.getFirst();
    }
}
