package io.aimp.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.aimp.gateway.support.Browser;
import io.aimp.gateway.support.CheckedAgainstOpenApi;
import io.aimp.gateway.support.GatewayClient;
import io.aimp.gateway.support.GatewayHttpTest;
import io.aimp.gateway.support.TestAccounts;
import io.aimp.gateway.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The web console in a real browser (headless Debian Chromium): every flow through the public API
 * only, as a signed-in user. One browser for the class; each test signs in on a fresh page load after clearing
 * the browser's cookies (the access token lives in page memory; the refresh cookie would resume the last session).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Browser.Required.class)
// a context of its own: these tests run models and top up the owner's wallet, which the shared context's tests
// count exactly; the first-start demo knowledge base gives the knowledge-base pages something to browse
// every test signs the owner in, more than the default 10 sign-ins per account per minute when the class runs fast
@TestPropertySource(properties = {"aimp.demo.index-docs=true", "console-browser-test=true",
        "aimp.sessions.login-attempts-per-minute-per-account=1000", "aimp.sessions.login-attempts-per-minute-per-ip=1000"})
@CheckedAgainstOpenApi
class ConsoleBrowserTest extends GatewayHttpTest {

    /** A form model answered offline by the local provider, for the Forms page. */
    private static final String FEEDBACK_FORM = """
            slug: console-feedback
            name: Console feedback
            kind: form
            description: A short feedback form.
            visibility: public
            modes:
              submit:
                input:
                  type: object
                  required: [fields]
                  additionalProperties: false
                  properties:
                    fields: {type: object}
            releases:
              - version: 1.0.0
                routes: [{provider: local, model: extractive-summary, timeout_ms: 10000}]
                pricing: {per_run: 0.001}
            form:
              prompt: "{{fields.subject}}. Rated {{fields.rating}}. Area {{fields.area}}."
              fields:
                - {id: subject, label: Subject, type: text, required: true, min_length: 5, message: "Say a little more in the subject"}
                - {id: rating, label: Rating, type: number, min: 1, max: 5}
                - {id: area, label: Area, type: radio, options: [console, api], default: console}
            """;

    @DynamicPropertySource
    static void catalog(DynamicPropertyRegistry registry) {
        Path dir = io.aimp.gateway.support.TestSecrets.tempDir("aimp-console-catalog-");
        try {
            Files.writeString(dir.resolve("console-feedback.yaml"), FEEDBACK_FORM);
            // the example content model, answered offline by the local provider
            Files.writeString(dir.resolve("blog-writer.yaml"), Files.readString(Path.of("examples", "catalog", "blog-writer.yaml"))
                    .replace("{provider: openai, model: gpt-4o-mini, timeout_ms: 120000}", "{provider: local, model: extractive-summary, timeout_ms: 10000}"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        registry.add("aimp.catalog-dir", dir::toString);
    }

    private Browser browser;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    void startBrowser() {
        browser = Browser.startOrSkip();
        driver = browser.driver();
        // generous: the build machine is shared and loaded
        wait = new WebDriverWait(driver, Duration.ofSeconds(45));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void signIn(String email, String password) {
        openSignedOut("/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** Loads a console address with no session to resume: the refresh cookie of an earlier test is cleared first. */
    private void openSignedOut(String path) {
        browser.size(1280, 800);
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.get(base() + path);
    }

    /** The browser's refresh cookie (HttpOnly: no script of the page can read it; the driver can), or null. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> refreshCookie() {
        Map<String, Object> all = driver.executeCdpCommand("Network.getAllCookies", Map.of());
        return ((List<Map<String, Object>>) all.get("cookies")).stream()
                .filter(c -> "aimp_refresh".equals(c.get("name"))).findFirst().orElse(null);
    }

    private void signInAsOwner() {
        signIn(OWNER_EMAIL, OWNER_PASSWORD);
    }

    /** Goes to a console route inside the page (a page load would sign out) and waits for its title. */
    private void go(String route, String title) {
        js().executeScript("location.hash = arguments[0]", route);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-title"), title));
        wait.until(d -> d.findElements(By.xpath("//main//p[text()='Loading…']")).isEmpty());
    }

    private JavascriptExecutor js() {
        return driver;
    }

    @Test
    void should_sign_in_with_the_printed_credentials_and_sign_out_again() {
        assertThat(anonymous.get("/").header("Location")).endsWith("/console/");
        signInAsOwner();
        assertThat(driver.findElement(By.cssSelector("header .who")).getText()).contains(OWNER_EMAIL, "owner");
        assertThat(driver.findElements(By.cssSelector("nav a"))).extracting(WebElement::getText)
                .contains("Marketplace", "Keys", "Wallet", "Usage", "Runs and logs", "Knowledge bases", "Media", "Playground");
        // nothing of the session is kept where a script or another tab could read it later
        assertThat(js().executeScript("return localStorage.length + sessionStorage.length + document.cookie.length")).isEqualTo(0L);

        // the refresh token is an HttpOnly, Secure, SameSite=Strict cookie scoped to the auth routes
        Map<String, Object> cookie = refreshCookie();
        assertThat(cookie).isNotNull().containsEntry("httpOnly", true).containsEntry("secure", true)
                .containsEntry("sameSite", "Strict").containsEntry("path", "/api/auth");
        assertThat((String) cookie.get("value")).startsWith("aimp_rt_");

        // a reload keeps the user signed in (the cookie resumes the session, rotating the token)
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        assertThat(driver.findElement(By.cssSelector("header .who")).getText()).contains(OWNER_EMAIL, "owner");
        String rotated = (String) refreshCookie().get("value");
        assertThat(rotated).isNotEqualTo(cookie.get("value"));

        // sign-out ends the session on the server and clears the cookie: a reload stays signed out
        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(driver.findElements(By.cssSelector("nav"))).isEmpty();
        wait.until(d -> refreshCookie() == null);
        GatewayClient.Response refresh = anonymous.post("/api/auth/refresh", Map.of("refresh_token", rotated));
        assertThat(refresh.status()).as(refresh.describe()).isEqualTo(401);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
        assertThat(driver.findElements(By.id("sign-out"))).isEmpty();
    }

    @Test
    void should_refresh_the_access_token_silently_when_a_call_answers_401_and_retry_it() {
        signInAsOwner();
        // the first authenticated call is answered 401 as if the access token had expired
        Object answer = js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const original = window.fetch;
                const calls = [];
                let refused = false;
                window.fetch = (url, init) => {
                  calls.push(url);
                  if (!refused && init && init.headers && init.headers.Authorization) {
                    refused = true;
                    return Promise.resolve(new Response('{"code":"access_token_expired"}', { status: 401 }));
                  }
                  return original(url, init);
                };
                import('/console/api.js')
                  .then(api => api.api('GET', '/api/billing/wallet'))
                  .then(w => done(calls.join(' ') + ' => ' + w.object), e => done('error ' + e.status))
                  .finally(() => { window.fetch = original; });""");
        assertThat(answer).isEqualTo("/api/billing/wallet /api/auth/refresh /api/billing/wallet => wallet");
        // still signed in, with the refreshed token
        go("#/wallet", "Wallet");
        assertThat(driver.findElement(By.id("balance")).getText()).isNotBlank();
    }

    @Test
    void should_refuse_a_wrong_password_with_the_problem_shown() {
        // the console's address without its trailing slash lands on the console
        openSignedOut("/console");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys(OWNER_EMAIL);
        assertThat(driver.getCurrentUrl()).isEqualTo(base() + "/console/");
        driver.findElement(By.id("password")).sendKeys("not-the-password");
        driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(alert.getText()).isNotBlank();
        assertThat(driver.findElements(By.id("sign-out"))).isEmpty();
    }

    @Test
    void should_run_demo_model_from_its_detail_page_and_show_output_usage_and_cost() {
        signInAsOwner();
        go("#/marketplace", "Marketplace");
        driver.findElement(By.id("mq")).sendKeys("demo summary");
        driver.findElement(By.cssSelector("form[role=search] button[type=submit]")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Demo summary"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-title"), "Demo summary"));
        // contract, pricing, release history and copy-ready snippets
        String page = driver.findElement(By.id("main")).getText();
        assertThat(page).contains("execute", "text (required)", "0.001000 credits per run", "1.0.0", "Release history");
        assertThat(driver.findElement(By.id("snip-execute")).getText()).contains("curl -X POST", "\"model\": \"demo-model\"");
        driver.findElement(By.xpath("//div[@aria-label='Code for execute']/button[text()='python']")).click();
        assertThat(driver.findElement(By.id("snip-execute")).getText()).contains("requests.post(");

        String text = "The gateway keeps provider keys on the server. Clients name a published model and a mode. "
                + "Every run is metered and logged with its usage and cost.";
        driver.findElement(By.id("try-in-text")).sendKeys(text);
        driver.findElement(By.cssSelector("form.tryit button[type=submit]")).click();
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result")));
        assertThat(result.findElement(By.cssSelector(".status-succeeded")).getText()).isEqualTo("succeeded");
        String output = result.findElement(By.cssSelector("pre.output")).getText();
        java.util.regex.Matcher summary = java.util.regex.Pattern.compile("\"text\": \"([^\"]+)\"").matcher(output);
        assertThat(summary.find()).as(output).isTrue();
        assertThat(text).contains(summary.group(1));
        assertThat(result.findElement(By.cssSelector(".cost")).getText()).contains("0.001");
        assertThat(result.findElement(By.cssSelector(".usage")).getText()).isNotEqualTo("—");
    }

    @Test
    void should_compare_two_targets_side_by_side_and_show_an_evaluation_report() {
        signInAsOwner();
        go("#/playground", "Playground");
        new Select(driver.findElement(By.id("pg-t0-model"))).selectByValue("demo-model");
        new Select(driver.findElement(By.id("pg-t1-model"))).selectByValue("demo-model");
        driver.findElement(By.id("pg-t1-overrides")).sendKeys("{\"prompt\": \"Hours only. {{input.text}}\"}");
        WebElement input = driver.findElement(By.id("pg-input"));
        input.clear();
        input.sendKeys("{\"text\": \"The bakery opens at six. It closes at two. Bread is baked daily.\"}");
        driver.findElement(By.cssSelector("#pg-compare button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector(".pg-result .status-succeeded")).size() == 2);
        List<WebElement> results = driver.findElements(By.cssSelector(".pg-result"));
        assertThat(results.get(0).getText()).contains("demo-model", "The bakery opens at six", "local / extractive-summary", "0.001");
        assertThat(results.get(1).getText()).contains("(overridden)", "\"text\"");
        assertThat(results).allSatisfy(r -> assertThat(r.findElement(By.cssSelector(".latency")).getText()).endsWith(" ms"));
        assertThat(driver.findElement(By.id("pg-total")).getText()).isEqualTo("0.002000 credits");

        // one target, a suite with a passing and a failing case
        driver.findElement(By.cssSelector("button[aria-label='Remove target 2']")).click();
        WebElement cases = driver.findElement(By.id("pg-cases"));
        cases.clear();
        cases.sendKeys("[{\"name\": \"keeps the hours\", \"input\": {\"text\": \"We open at six. We close at two.\"}, "
                + "\"expect\": {\"contains\": \"six\"}}, {\"name\": \"speaks of cake\", \"input\": {\"text\": \"We open at six.\"}, "
                + "\"expect\": {\"contains\": \"cake\"}}]");
        driver.findElement(By.cssSelector("#pg-evaluate button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pg-report")));
        WebElement pass = driver.findElement(By.xpath("//tr[td[text()='keeps the hours']]"));
        WebElement fail = driver.findElement(By.xpath("//tr[td[text()='speaks of cake']]"));
        assertThat(pass.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("pass");
        assertThat(fail.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("fail");
        assertThat(fail.findElement(By.cssSelector(".reasons")).getText()).contains("contains", "cake");
        assertThat(driver.findElement(By.cssSelector(".pass-rate")).getText()).isEqualTo("50%");
        assertThat(driver.findElement(By.id("pg-eval-total")).getText()).isEqualTo("0.002000 credits");
    }

    @Test
    void should_submit_a_form_drawn_from_its_definition_and_show_the_field_errors_then_the_answer() {
        signInAsOwner();
        go("#/forms", "Forms");
        WebElement subject = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-console-feedback-subject")));
        assertThat(driver.findElement(By.id("form-console-feedback")).getText()).contains("Subject (required)", "Rating", "Area", "console", "api");
        subject.sendKeys("Hi");
        driver.findElement(By.cssSelector("#form-console-feedback button[type=submit]")).click();
        WebElement problem = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#form-console-feedback [role=alert]")));
        assertThat(problem.getText()).contains("validation_failed", "$.input.fields.subject", "Say a little more in the subject");

        subject.clear();
        subject.sendKeys("The playground page compares models side by side");
        driver.findElement(By.id("form-console-feedback-rating")).sendKeys("5");
        driver.findElement(By.xpath("//form[@id='form-console-feedback']//label[contains(., 'api')]/input")).click();
        driver.findElement(By.cssSelector("#form-console-feedback button[type=submit]")).click();
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#form-console-feedback .result")));
        assertThat(result.findElement(By.cssSelector(".status-succeeded")).getText()).isEqualTo("succeeded");
        assertThat(result.findElement(By.cssSelector("pre.output")).getText()).contains("The playground page compares models side by side");
        assertThat(driver.findElements(By.cssSelector("#form-console-feedback [role=alert]"))).isEmpty();
    }

    @Test
    void should_show_the_revisions_of_a_post_and_the_line_diff_between_two() {
        GatewayClient.Response generated = owner.post("/api/runs", Map.of("model", "blog-writer", "mode", "generate",
                "input", Map.of("title", "Rye bread at home", "topic", "Rye bread needs a sour starter. It bakes slowly."),
                "params", Map.of("steps", List.of("content"), "save", true)));
        assertThat(generated.status()).as(generated.describe()).isEqualTo(200);
        String postId = generated.json().path("output").path("post_id").asString();
        GatewayClient.Response patched = owner.patch("/api/content/posts/" + postId, Map.of("tags", List.of("rye", "bread")));
        assertThat(patched.status()).as(patched.describe()).isEqualTo(200);

        signInAsOwner();
        go("#/content", "Content");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Revisions of Rye bread at home']"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("diff-form")));
        assertThat(driver.findElement(By.id("main")).getText()).contains("generate", "update");
        driver.findElement(By.cssSelector("#diff-form button[type=submit]")).click();
        WebElement diff = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("diff")));
        assertThat(diff.findElements(By.cssSelector(".added"))).extracting(WebElement::getText).containsExactly("+ tags: rye, bread");
        assertThat(diff.findElements(By.cssSelector(".removed"))).extracting(WebElement::getText).containsExactly("- tags: —");
        assertThat(diff.findElements(By.cssSelector(".same"))).extracting(WebElement::getText).contains("  title: Rye bread at home");
    }

    @Test
    void should_show_a_new_key_secret_once_and_never_after_a_reload_then_revoke_it() {
        signInAsOwner();
        go("#/keys", "API keys");
        String name = "browser key " + System.nanoTime();
        driver.findElement(By.id("key-name")).sendKeys(name);
        new Select(driver.findElement(By.id("key-role"))).selectByValue("developer");
        driver.findElement(By.id("key-models")).sendKeys("demo-model");
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
        assertThat(secret).startsWith("aimp_sk_");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), name));
        // the secret works as a key, with the role and allowlist chosen in the form
        GatewayClient.Response who = anonymous.withKey(secret).get("/api/status/permissions");
        assertThat(who.get("role")).isEqualTo("developer");
        assertThat(who.json().path("models").toString()).contains("demo-model");

        signInAsOwner();
        go("#/keys", "API keys");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), name));
        assertThat(driver.findElements(By.id("new-secret"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);

        driver.findElement(By.cssSelector("button[aria-label='Revoke " + name + "']")).click();
        Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
        confirm.accept();
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), name)));
        assertThat(anonymous.withKey(secret).get("/api/status/permissions").status()).isEqualTo(401);
    }

    @Test
    void should_not_offer_key_creation_to_a_viewer_and_refuse_a_forged_request_from_its_session() {
        TestAccounts.Member viewer = accounts.member("viewer");
        signIn(viewer.email(), viewer.password());
        assertThat(driver.findElements(By.linkText("Playground"))).isEmpty();
        assertThat(driver.findElements(By.linkText("Keys"))).isEmpty();
        // the route is not offered either: it falls back to the marketplace
        go("#/keys", "Marketplace");
        assertThat(driver.findElements(By.id("key-form"))).isEmpty();

        // the same request the hidden form would send, made with the viewer's in-page session
        Object answer = js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/console/api.js')
                  .then(api => api.api('POST', '/api/keys', { name: 'forged', role: 'viewer' }))
                  .then(() => done('created'), e => done(e.status + ' ' + e.problem.code));""");
        assertThat(String.valueOf(answer)).startsWith("403 ");
        assertThat(owner.get("/api/keys").text()).doesNotContain("forged");
    }

    @Test
    void should_invite_a_member_whose_link_sets_a_password_and_signs_in() {
        signInAsOwner();
        go("#/members", "Members");
        String email = io.aimp.gateway.support.TestSecrets.email("invitee");
        driver.findElement(By.id("m-email")).sendKeys(email);
        driver.findElement(By.id("m-name")).sendKeys("Invited in the browser");
        new Select(driver.findElement(By.id("m-role"))).selectByValue("developer");
        driver.findElement(By.cssSelector("#invite-member button[type=submit]")).click();
        String link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-url"))).getText();
        assertThat(link).contains("/console/invite#");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), email));

        // the link names the configured public URL; open the same path and fragment on this test's server
        driver.get(base() + link.substring(link.indexOf("/console/invite#")));
        String password = io.aimp.gateway.support.TestSecrets.password();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("inv-password"))).sendKeys(password);
        driver.findElement(By.id("inv-again")).sendKeys(password);
        assertThat(driver.getCurrentUrl()).doesNotContain("#");
        driver.findElement(By.cssSelector("#invite-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        assertThat(driver.findElement(By.cssSelector("header .who")).getText()).contains(email, "developer");
        assertThat(driver.findElements(By.linkText("Playground"))).hasSize(1);
        assertThat(driver.findElements(By.linkText("Members"))).isEmpty();
    }

    @Test
    void should_set_a_key_limit_and_leave_the_workspace_limits_alone() {
        TestAccounts.Key key = accounts.key("member");
        signInAsOwner();
        go("#/limits", "Limits");
        new Select(driver.findElement(By.id("limits-scope"))).selectByValue(key.id());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lim-concurrent_runs"))).sendKeys("3");
        driver.findElement(By.id("lim-daily_credits")).sendKeys("2.5");
        driver.findElement(By.cssSelector("#limits-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=status]")));
        GatewayClient.Response limits = owner.get("/api/keys/" + key.id() + "/limits");
        assertThat(limits.json().path("override").path("concurrent_runs").asLong()).isEqualTo(3);
        assertThat(limits.json().path("override").path("daily_credits").asString()).isEqualTo("2.500000");
        // the workspace's own limits were left alone
        assertThat(owner.get("/api/limits").json().path("override").path("concurrent_runs").isNull()).isTrue();
    }

    @Test
    void should_top_up_the_wallet_and_show_the_ledger_line() {
        signInAsOwner();
        go("#/wallet", "Wallet");
        String before = driver.findElement(By.id("balance")).getText();
        String reason = "browser top-up " + System.nanoTime();
        driver.findElement(By.id("topup-amount")).sendKeys("12.5");
        driver.findElement(By.id("topup-reason")).sendKeys(reason);
        driver.findElement(By.cssSelector("#topup-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table"), reason));
        WebElement row = driver.findElement(By.xpath("//tr[td[text()='" + reason + "']]"));
        assertThat(row.getText()).contains("12.500000");
        assertThat(new java.math.BigDecimal(driver.findElement(By.id("balance")).getText()))
                .isEqualByComparingTo(new java.math.BigDecimal(before).add(new java.math.BigDecimal("12.5")));
    }

    /** Pixels of the runs chart in one of the usage page's series colours (account.js COLORS). */
    private long seriesPixels() {
        return (Long) js().executeScript("""
                const c = document.querySelector("figure[data-metric='runs'] canvas");
                if (!c) return 0;
                const colours = [[11, 87, 208], [179, 38, 30], [20, 108, 46], [125, 82, 96], [138, 75, 0], [0, 103, 127]];
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] > 200 && colours.some(k => Math.abs(d[i] - k[0]) < 30 && Math.abs(d[i + 1] - k[1]) < 30
                      && Math.abs(d[i + 2] - k[2]) < 30)) n++;
                }
                return n;""");
    }

    @Test
    void should_draw_usage_graphs_with_data() {
        for (int i = 0; i < 3; i++) {
            GatewayClient.Response r = owner.post("/api/runs", Map.of("model", "demo-model", "input",
                    Map.of("text", "Graphs need runs. This is run number " + i + ".")));
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
        }
        signInAsOwner();
        go("#/usage", "Usage");
        wait.until(d -> d.findElements(By.cssSelector("figure.chart canvas")).size() == 4);
        // a series colour is on the runs canvas: lines were drawn from data, not just the axes. The chart draws after
        // its data arrives (and again when the page re-renders), so wait for the pixels rather than look once; any
        // series colour counts, since which model gets the first colour depends on the runs other tests made
        wait.until(d -> seriesPixels() > 20);
        assertThat(driver.findElement(By.cssSelector("figure[data-metric='runs']")).getText()).contains("demo-model");
    }

    @Test
    void should_upload_two_pngs_then_index_and_search_them_with_clipo() throws IOException {
        Path dir = Files.createTempDirectory("aimp-console-png-");
        Path first = Files.write(dir.resolve("sunset.png"), TestImages.gradient(96, 64));
        Path second = Files.write(dir.resolve("shapes.png"), TestImages.shapes(96, 64));
        signInAsOwner();
        go("#/media", "Media");
        driver.findElement(By.id("media-files")).sendKeys(first + "\n" + second);
        driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        wait.until(d -> d.findElements(By.xpath("//td[text()='shapes.png']")).size() == 1
                && d.findElements(By.xpath("//td[text()='sunset.png']")).size() == 1);
        wait.until(d -> d.findElements(By.cssSelector("img.thumb")).size() >= 2);
        String sunsetRef = driver.findElement(By.xpath("//tr[td[text()='sunset.png']]//code")).getText();
        String shapesRef = driver.findElement(By.xpath("//tr[td[text()='shapes.png']]//code")).getText();
        assertThat(sunsetRef).startsWith("media_");

        go("#/models/clipo", "Clipo");
        new Select(driver.findElement(By.id("try-mode"))).selectByValue("index");
        WebElement scope = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("try-scope")));
        scope.clear();
        scope.sendKeys("console-photos");
        driver.findElement(By.id("try-in-images")).sendKeys("[{\"media_ref\": \"" + sunsetRef + "\"}, {\"media_ref\": \""
                + shapesRef + "\"}]");
        driver.findElement(By.cssSelector("form.tryit button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result .status-succeeded")));

        new Select(driver.findElement(By.id("try-mode"))).selectByValue("search");
        WebElement searchScope = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("try-in-image"))).findElement(
                By.xpath("//input[@id='try-scope']"));
        searchScope.clear();
        searchScope.sendKeys("console-photos");
        driver.findElement(By.id("try-in-image")).sendKeys(first.toString());
        driver.findElement(By.cssSelector("form.tryit button[type=submit]")).click();
        WebElement output = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result pre.output")));
        String results = output.getText();
        // the query is the sunset picture again: it comes first, the other picture after it
        assertThat(results).contains(sunsetRef);
        assertThat(results.indexOf(sunsetRef)).isLessThan(results.indexOf(shapesRef) < 0 ? Integer.MAX_VALUE : results.indexOf(shapesRef));
    }

    @Test
    void should_browse_and_search_the_demo_knowledge_base() {
        signInAsOwner();
        go("#/knowledge-bases", "Knowledge bases");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("demo-docs"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-title"), "demo-docs"));
        wait.until(d -> d.findElements(By.cssSelector("tbody tr")).size() >= 10);
        assertThat(driver.findElement(By.id("main")).getText()).contains("12 items");
        driver.findElement(By.id("kb-query")).sendKeys("how are provider credentials kept");
        driver.findElement(By.cssSelector("form[role=search] button[type=submit]")).click();
        List<WebElement> hits = wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("ol.hits li"), 0));
        assertThat(hits.get(0).getText()).matches("(?s)0\\.\\d{3} .+");
    }

    /** Every page: no serious or critical axe-core violation, every control reachable by Tab, screenshots at two sizes. */
    @Test
    void should_pass_axe_be_keyboard_reachable_and_screenshot_every_page() {
        owner.post("/api/runs", Map.of("model", "demo-model", "input", Map.of("text", "One run for the logs. It has a detail page.")));
        String runId = owner.get("/api/runs?limit=1").json().path("data").path(0).path("id").asString();

        openSignedOut("/console/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        List<String> problems = new ArrayList<>(check("signin"));
        signInAsOwner();
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("#/marketplace", "Marketplace");
        pages.put("#/models/demo-model", "Demo summary");
        pages.put("#/playground", "Playground");
        pages.put("#/runs", "Runs and logs");
        pages.put("#/run/" + runId, "Run ");
        pages.put("#/usage", "Usage");
        pages.put("#/knowledge-bases", "Knowledge bases");
        pages.put("#/kb/text-embed/default/demo-docs", "demo-docs");
        pages.put("#/media", "Media");
        pages.put("#/jobs", "Jobs");
        pages.put("#/content", "Content");
        pages.put("#/forms", "Forms");
        pages.put("#/wallet", "Wallet");
        pages.put("#/keys", "API keys");
        pages.put("#/members", "Members");
        pages.put("#/limits", "Limits");
        for (var page : pages.entrySet()) {
            browser.size(1280, 800);
            go(page.getKey(), page.getValue());
            String name = page.getKey().replaceAll("^#/", "").replaceAll("/.*", "");
            problems.addAll(check(name));
        }
        assertThat(problems).isEmpty();
    }

    private List<String> check(String name) {
        List<String> problems = new ArrayList<>();
        js().executeScript("window.scrollTo(0, 0)");
        browser.screenshot(name + "-1280x800");
        browser.size(390, 844);
        browser.screenshot(name + "-390x844");
        problems.addAll(axeAt(name + " (390 wide)"));
        browser.size(1280, 800);
        Results axe = new AxeBuilder().analyze(driver);
        for (Rule v : axe.getViolations()) {
            if ("serious".equals(v.getImpact()) || "critical".equals(v.getImpact())) {
                problems.add(name + ": axe " + v.getImpact() + " " + v.getId() + " " + v.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList());
            }
        }
        problems.addAll(unreachable(name));
        return problems;
    }

    private List<String> axeAt(String name) {
        List<String> problems = new ArrayList<>();
        for (Rule v : new AxeBuilder().analyze(driver).getViolations()) {
            if ("serious".equals(v.getImpact()) || "critical".equals(v.getImpact())) {
                problems.add(name + ": axe " + v.getImpact() + " " + v.getId());
            }
        }
        return problems;
    }

    /** Tabs through the page from its start; names every visible control the focus never reached. */
    @SuppressWarnings("unchecked")
    private List<String> unreachable(String name) {
        Long count = (Long) js().executeScript("""
                const els = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]')]
                  .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
                els.forEach((e, i) => e.setAttribute('data-tab-check', i));
                window.__reached = new Set();
                document.addEventListener('focusin', ev => { const i = ev.target.getAttribute && ev.target.getAttribute('data-tab-check'); if (i !== null) window.__reached.add(i); });
                // start at the first control (the focus navigation point is wherever the last route change left it)
                if (els.length) els[0].focus();
                return els.length;""");
        // date and time inputs take one Tab per segment: press in batches until everything was reached, bounded
        List<String> missing = List.of();
        for (long pressed = 0; pressed < count * 8 + 10; pressed += 10) {
            Actions tab = new Actions(driver);
            for (int i = 0; i < 10; i++) {
                tab.sendKeys(Keys.TAB);
            }
            tab.perform();
            missing = (List<String>) js().executeScript("""
                    return [...document.querySelectorAll('[data-tab-check]')]
                      .filter(e => !window.__reached.has(e.getAttribute('data-tab-check')))
                      // a radio group is one Tab stop (arrow keys move within it): reached when any of its radios is
                      .filter(e => !(e.type === 'radio' && [...document.querySelectorAll('input[type=radio]')]
                        .some(r => r.name === e.name && window.__reached.has(r.getAttribute('data-tab-check')))))
                      .map(e => e.outerHTML.slice(0, 120));""");
            if (missing.isEmpty()) {
                break;
            }
        }
        return missing.stream().map(m -> name + ": not reachable by keyboard: " + m).toList();
    }
}
