package io.aimp.gateway.api;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import static io.aimp.gateway.support.ProblemAssert.assertAnyProblem;
import static io.aimp.gateway.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.GatewayClient.Response;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.RawHttp;
import io.aimp.gateway.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every spelling of a path reaches either its route, with that route's access rules, or a 400: the
 * raw request line is sent over a socket so no client normalizes it first.
 */
@CheckedAgainstOpenApi
class PathNormalizationTest extends GatewayHttpTest {

    /** Spellings that routing would (or might) map onto an admin or authenticated route. */
    private static final List<String> DISGUISED = List.of(
            "/api;/admin/prometheus",
            "/api/admin;x/prometheus",
            "/api/admin;/health",
            "/api/admin/health;",
            "/api/admin/prometheus;jsessionid=1",
            "/api/%61dmin/health",
            "/api/admin/%2e/health",
            "/api/admin/%2E%2E/admin/health",
            "/api/x/%2e%2e/admin/health",
            "/api/x/..%2fadmin/health",
            "/api/admin%2fhealth",
            "/api/admin%2Fprometheus",
            "/api%2Fadmin/health",
            "/api/admin%5chealth",
            "/api/admin%5Cprometheus",
            "/api/admin/%252e%252e/admin/health",
            "/api/admin/./health",
            "/api/admin/../admin/health",
            "/api/x/../admin/health",
            "/api/./admin/prometheus",
            "/api//admin/health",
            "//api/admin/health",
            "/api/admin//prometheus",
            "/api/admin./health",
            "/api/admin/health.",
            "/api/admin../prometheus",
            "/api/admin/prometheus%00",
            "/api/admin/health%3b",
            "/console/../api/admin/health",
            "/console/..;/api/keys",
            "/console/%2e%2e/api/keys",
            "/api/status/../keys",
            "/api/status;/../keys",
            "/api/openapi.json/../../api/members",
            "/api/media/upload/..%2f..%2fkeys",
            "/api/auth/login/../../keys");

    /** Different case: a different route (routing is case-sensitive), never the admin one. */
    private static final List<String> OTHER_CASE = List.of(
            "/API/admin/health", "/Api/admin/prometheus", "/api/ADMIN/health", "/api/Admin/prometheus",
            "/api/admin/HEALTH", "/api/admin/Prometheus");

    private TestAccounts.Key viewer;
    private TestAccounts.Key admin;

    @BeforeEach
    void keys() {
        viewer = accounts.key("viewer");
        admin = accounts.key("admin");
    }

    private Response get(String path, TestAccounts.Key key) {
        List<String> headers = key == null ? List.of() : List.of("X-API-Key: " + key.secret());
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1", headers, null);
    }

    @Test
    void should_refuse_every_disguised_spelling_of_a_path_with_path_not_normalized_for_every_caller() {
        assertThat(DISGUISED).hasSizeGreaterThanOrEqualTo(30);
        List<String> failures = new ArrayList<>();
        for (String path : DISGUISED) {
            for (TestAccounts.Key key : new TestAccounts.Key[] {null, viewer, admin}) {
                Response r = get(path, key);
                String who = key == null ? "no key" : key.role();
                if (r.status() != 400) {
                    failures.add(path + " (" + who + ") -> " + r.status() + " " + r.text());
                    continue;
                }
                assertAnyProblem(r);
                String code = r.json().path("code").asString();
                // Tomcat refuses a few of these itself (a NUL, an encoded separator) before the application
                if (!code.equals("path_not_normalized") && !code.equals("bad_request")) {
                    failures.add(path + " (" + who + ") -> code " + code);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void should_name_path_not_normalized_for_parameters_dot_segments_and_encodings() {
        for (String path : List.of("/api;/admin/prometheus", "/api/admin/./health", "/api/x/../admin/health",
                "/api/x/%2e%2e/admin/health", "/api//admin/health", "/api/admin./health")) {
            assertProblem(get(path, viewer), 400, "path_not_normalized", "invalid_request");
        }
    }

    @Test
    void should_never_route_another_case_to_the_admin_endpoints() {
        for (String path : OTHER_CASE) {
            Response anonymous = get(path, null);
            assertProblem(anonymous, 401, "authentication_required", "authentication");
            for (TestAccounts.Key key : new TestAccounts.Key[] {viewer, admin}) {
                Response r = get(path, key);
                assertThat(r.status()).as(path + " " + key.role() + ": " + r.describe()).isEqualTo(404);
                assertAnyProblem(r);
            }
        }
    }

    @Test
    void should_decide_admin_access_on_the_admin_endpoint_itself() {
        for (String path : List.of("/api/admin/health", "/api/admin/prometheus", "/api/admin/metrics")) {
            assertProblem(get(path, null), 401, "authentication_required", "authentication");
            assertProblem(get(path, viewer), 403, "permission_denied", "permission");
            assertThat(get(path, admin).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void should_keep_canonical_public_routes_and_trailing_slashes_working() {
        assertThat(get("/api/status", null).status()).isEqualTo(200);
        assertThat(get("/api/status?x=a;b/../c", null).status()).isEqualTo(200);
        assertProblem(get("/api/status;x", null), 400, "path_not_normalized", "invalid_request");
        assertProblem(get("/api/keys", viewer), 403, "permission_denied", "permission");
        assertThat(get("/api/keys", admin).status()).isEqualTo(200);
    }
}
