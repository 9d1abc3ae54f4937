package io.aimp.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The console is served from the jar with strict security headers, and its markup needs no inline code. */
@CheckedAgainstOpenApi
class ConsoleHeadersTest extends GatewayHttpTest {

    private static final Path ASSETS = Path.of("src/main/resources/console");

    @Test
    void should_redirect_the_root_to_the_console() {
        GatewayClient.Response r = anonymous.get("/");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/console/");
        assertSecurityHeaders(r);
    }

    @Test
    void should_redirect_the_console_without_its_trailing_slash() {
        GatewayClient.Response r = anonymous.get("/console");
        assertThat(r.status()).as(r.describe()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/console/");
    }

    @Test
    void should_serve_the_console_page_without_a_principal_under_a_strict_policy() {
        GatewayClient.Response r = anonymous.get("/console/");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.text()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertSecurityHeaders(r);
    }

    @Test
    void should_serve_modules_and_webjar_libraries_as_javascript_under_the_same_policy() {
        for (String path : List.of("/console/app.js", "/console/api.js", "/console/lib/preact/10.25.4/dist/preact.module.js",
                "/console/lib/uplot/1.6.30/dist/uPlot.esm.js")) {
            GatewayClient.Response r = anonymous.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).contains("javascript");
            assertSecurityHeaders(r);
        }
        GatewayClient.Response css = anonymous.get("/console/console.css");
        assertThat(css.contentType()).startsWith("text/css");
        assertSecurityHeaders(css);
    }

    @Test
    void should_answer_a_missing_asset_with_404_and_the_same_headers() {
        GatewayClient.Response r = anonymous.get("/console/nothing-here.js");
        assertThat(r.status()).isEqualTo(404);
        assertSecurityHeaders(r);
    }

    @Test
    void should_keep_the_policy_off_the_api() {
        GatewayClient.Response r = anonymous.get("/api/status");
        assertThat(r.header("Content-Security-Policy")).isNull();
    }

    @Test
    void should_have_no_inline_script_style_or_token_storage_in_the_assets() throws IOException {
        try (Stream<Path> files = Files.walk(ASSETS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                if (f.toString().endsWith(".html")) {
                    assertThat(text).as(f + ": inline script").doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
                    assertThat(text).as(f + ": inline style").doesNotContain("<style").doesNotContain(" style=");
                }
                assertThat(text).as(f + ": web storage").doesNotContain("localStorage").doesNotContain("sessionStorage");
                assertThat(text).as(f + ": cookies").doesNotContain("document.cookie");
                if (f.endsWith("api.js")) {
                    // the one module that talks to the gateway authenticates with the bearer token only
                    assertThat(text).as(f + ": API keys").doesNotContain("X-API-Key").contains("Authorization: `Bearer ");
                }
            }
        }
    }

    private static void assertSecurityHeaders(GatewayClient.Response r) {
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).as(r.describe()).isNotNull();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "base-uri 'none'");
        assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
