package io.aimp.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven by Selenium through the system chromedriver: nothing is
 * downloaded at test time, and the profile is a fresh temporary directory removed on close.
 * Without a browser the test is skipped, unless {@code CI=true}, where a missing browser fails it.
 * Paths can be set with {@code AIMP_TEST_CHROMIUM} and {@code AIMP_TEST_CHROMEDRIVER}.
 */
public final class Browser implements AutoCloseable {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(Path chromium, Path chromedriver) {
        try {
            profile = Files.createTempDirectory("aimp-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    private static final String MISSING =
            "browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";

    /** Starts a browser, or skips the calling test (fails it under {@code CI=true}) when none is installed. */
    public static Browser startOrSkip() {
        Optional<Path> chromium = find("AIMP_TEST_CHROMIUM", CHROMIUM);
        Optional<Path> driver = find("AIMP_TEST_CHROMEDRIVER", DRIVER);
        if (chromium.isEmpty() || driver.isEmpty()) {
            if (ci()) {
                Assertions.fail(MISSING + "; CI=true, so a missing browser fails the run");
            }
            Assumptions.abort(MISSING);
        }
        return new Browser(chromium.get(), driver.get());
    }

    private static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Put on a browser test class: without a browser the class is skipped before anything starts (no
     * application context is loaded for nothing); under {@code CI=true} it fails instead.
     */
    public static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (find("AIMP_TEST_CHROMIUM", CHROMIUM).isPresent() && find("AIMP_TEST_CHROMEDRIVER", DRIVER).isPresent()) {
                return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
            }
            if (ci()) {
                throw new IllegalStateException(MISSING + "; CI=true, so a missing browser fails the run");
            }
            return ConditionEvaluationResult.disabled(MISSING);
        }
    }

    private static Optional<Path> find(String env, List<String> candidates) {
        String set = System.getenv(env);
        Stream<String> paths = set != null && !set.isBlank() ? Stream.of(set) : candidates.stream();
        return paths.map(Path::of).filter(Files::isExecutable).findFirst();
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a screenshot of the viewport under {@code target/console-screenshots/}. */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "console-screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
