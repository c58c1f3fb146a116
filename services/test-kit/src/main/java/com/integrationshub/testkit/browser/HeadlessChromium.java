package com.integrationshub.testkit.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser of the browser tests: Debian's Chromium ({@code /usr/bin/chromium}) driven headless through its own
 * chromedriver ({@code /usr/bin/chromedriver}) — both given explicitly, so Selenium never looks for or downloads a
 * browser. The flags keep Chromium off the network it cannot reach here (background updates, sync, QUIC). A missing
 * browser fails the test that needs it, never skips it: CI installs both packages.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Where axe-core's script is: the query-service build installs it with npm (src/test/sdk-tools). */
    public static final String AXE_SCRIPT_PROPERTY = "axe.script";

    private static final String DEFAULT_AXE_SCRIPT = "target/sdk-tools/node_modules/axe-core/axe.min.js";

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless Chromium with an empty profile and a desktop-sized window. */
    public static HeadlessChromium start() {
        String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
        String chromedriver = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
        final Path profile;
        try {
            profile = Files.createTempDirectory("hub-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(chromedriver).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver, profile);
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Waits up to {@code timeout} for the condition to give a non-null, non-false value, and returns it. An element the
     * page replaced between the condition finding it and reading it (a re-render) counts as not yet: asked again.
     */
    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).until(askedAgainWhenReplaced(condition));
    }

    /**
     * The condition, with an element whose page replaced it between the condition finding it and reading it counted as
     * not yet (null: a wait asks again). Chromium reports that as a stale element after a re-render, and, while a window
     * navigates to another document, also as an inspector error: "Node with given id does not belong to the document"
     * (seen with Chromium 156 reading a popup's body as it followed a redirect).
     */
    public static <T> Function<WebDriver, T> askedAgainWhenReplaced(Function<WebDriver, T> condition) {
        return d -> {
            try {
                return condition.apply(d);
            } catch (StaleElementReferenceException e) {
                return null;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return null;
                throw e;
            }
        };
    }

    /** A narrow (phone-sized) or wide window; pages must stay readable at 375 px. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Writes a PNG of the visible page to {@code file}, creating its directory. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A screenshot named {@code name}.png in the directory of the system property {@code console.screenshots}, when
     * it is set (the docs' screenshots are made that way); nothing otherwise.
     */
    public void screenshotForDocs(String name) {
        Optional.ofNullable(System.getProperty("console.screenshots"))
                .filter(dir -> !dir.isBlank())
                .ifPresent(dir -> screenshot(Path.of(dir).resolve(name + ".png")));
    }

    /**
     * Runs axe-core against the current page and fails with every violation of impact serious or critical (missing
     * labels, contrast, names of buttons and links, ARIA misuse...). Driver-injected scripts are not subject to the
     * page's Content-Security-Policy, so the page's strict policy stays as it is.
     */
    public void assertAccessible() {
        List<String> violations = accessibilityViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("accessibility violations on " + driver.getCurrentUrl() + ":\n  "
                    + String.join("\n  ", violations));
        }
    }

    /** The serious and critical axe-core violations of the current page, one line each (rule, impact, targets). */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityViolations() {
        JavascriptExecutor js = driver;
        js.executeScript(axeSource());
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                + " targets: v.nodes.map(n => String(n.target)).slice(0, 5)}))))"
                + ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));");
        List<String> lines = new ArrayList<>();
        for (Object item : (List<Object>) result) {
            Map<String, Object> v = (Map<String, Object>) item;
            Object impact = v.get("impact");
            if ("serious".equals(impact) || "critical".equals(impact)) {
                lines.add(v.get("id") + " (" + impact + "): " + v.get("help") + " " + v.get("targets"));
            }
        }
        return lines;
    }

    private static String axeSource() {
        Path script = Path.of(System.getProperty(AXE_SCRIPT_PROPERTY, DEFAULT_AXE_SCRIPT));
        try {
            return Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "axe-core not found at " + script.toAbsolutePath() + " (the build installs it with npm ci)", e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A profile left in /tmp is harmless.
        }
    }
}
