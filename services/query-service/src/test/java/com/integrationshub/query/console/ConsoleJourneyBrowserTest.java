package com.integrationshub.query.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.browser.HeadlessChromium;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real browser (headless Chromium) against a real hub and the OAuth provider stand-in:
 * sign in with an admin token, create an integration with a typed schema and an inline OAuth connection, set
 * defaults with a write-only secret, map two organizations with overrides, connect one through the provider in a
 * new window, read the history; the server's field errors next to their fields, a 412 offering a reload; axe-core
 * on every page. One hub and one browser for the class; each test is a journey.
 */
class ConsoleJourneyBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEFAULT_SECRET = "sk_live_console_default_4711";
    private static final String ORG_SECRET = "sk_org2_override_0815";

    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;
    private static HeadlessChromium browser;
    private static WebDriver driver;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of("hub.console.secure-cookie", false)));
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        provider.registerClient(
                "console-client", "console-client-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        browser = HeadlessChromium.start();
        driver = browser.driver();
        // Collects the page's script errors, shown when a wait fails (the console has no other error channel).
        ((ChromeDriver) driver)
                .executeCdpCommand(
                        "Page.addScriptToEvaluateOnNewDocument",
                        Map.of(
                                "source",
                                "window.__errors = [];"
                                        + "addEventListener('error', e => __errors.push(String(e.message || e)));"
                                        + "addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));"
                                        + "window.__csp = [];"
                                        + "addEventListener('securitypolicyviolation',"
                                        + " e => __csp.push(e.violatedDirective + ' ' + e.blockedURI));"));
        signIn();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldCreateConfigureMapConnectAndShowTheHistoryOfAnIntegration() {
        open("#/integrations");
        awaitHeading("Integrations");
        browser.assertAccessible();

        click(By.linkText("Create integration"));
        awaitHeading("Create integration");
        type(field("name"), "HaloUI");
        type(field("description"), "HaloPSA through the console");
        new Select(find(field("auth_scheme"))).selectByValue("OAUTH2");
        type(field("entity_id_name"), "Tenant ID");
        addSchemaField("timeout", "int", false);
        addSchemaField("base_url", "string", true);
        addSchemaField("api_key", "secret", false);
        addSchemaField("options", "json", false);
        // base_url was added second: move it to the top (reorder up).
        click(By.cssSelector("button[aria-label='Move base_url up']"));
        assertEquals("base_url", find(field("config_schema[0].key")).getAttribute("value"), "moved up");
        new Select(find(field("oauth_connection"))).selectByValue("__new__");
        type(field("oauth.connection_name"), "halo-ui-oauth");
        type(field("oauth.client_id"), "console-client");
        type(field("oauth.client_secret"), "console-client-secret");
        type(field("oauth.authorization_url"), provider.authorizationUrl());
        type(field("oauth.token_url"), provider.tokenUrl());
        type(field("oauth.scopes"), "read write");
        click(By.xpath("//button[normalize-space()='Add header']"));
        type(By.cssSelector(".kv-row input[type='text']"), "X-Api-Key");
        List<WebElement> header = driver.findElements(By.cssSelector(".kv-row input[type='text']"));
        header.get(1).sendKeys("{api_key}");
        browser.assertAccessible();
        shot("console-integration-new");
        click(By.cssSelector("button[type='submit']"));

        awaitHeading("HaloUI");
        JsonNode created = admin.get("/v1/integrations/HaloUI").json();
        assertEquals("halo-ui-oauth", created.path("oauth_connection").asText(), created.toString());
        assertEquals(
                List.of("base_url", "timeout", "api_key", "options"),
                created.path("config_schema").findValuesAsText("key"),
                "the schema in the order shown");
        assertEquals(
                "{api_key}",
                created.path("credential_headers").path("X-Api-Key").asText());

        // Configuration: defaults with a secret, which is then shown as set and never as a value.
        awaitTab("Configuration");
        type(field("config.base_url"), "https://halo.example");
        type(field("config.timeout"), "30");
        type(field("config.api_key"), DEFAULT_SECRET);
        type(field("config.options"), "{\"pages\": [1, 2]}");
        click(By.xpath("//button[normalize-space()='Save defaults']"));
        awaitText(".alert", "Defaults saved.");
        WebElement secretRow = find(By.cssSelector(".field.secret"));
        assertTrue(secretRow.getText().contains("set"), secretRow.getText());
        assertFalse(find(field("config.api_key")).isDisplayed(), "no secret input until Replace");
        assertNoSecretInPage();
        JsonNode global = admin.get("/v1/integrations/HaloUI/global").json();
        assertEquals(DEFAULT_SECRET, global.path("config").path("api_key").asText(), "stored as typed");
        assertEquals(30, global.path("config").path("timeout").asInt());
        assertEquals(2, global.path("config").path("options").path("pages").size());
        browser.assertAccessible();
        shot("console-configuration");

        // Saving again without replacing keeps the secret (the form sends no "***").
        type(field("config.timeout"), "45");
        click(By.xpath("//button[normalize-space()='Save defaults']"));
        awaitText(".alert", "Defaults saved.");
        global = admin.get("/v1/integrations/HaloUI/global").json();
        assertEquals(DEFAULT_SECRET, global.path("config").path("api_key").asText(), "kept");
        assertEquals(45, global.path("config").path("timeout").asInt());

        // Edit: a PATCH with the version read (If-Match); the page shows the change.
        click(By.linkText("Edit integration"));
        awaitHeading("Edit HaloUI");
        type(field("description"), "HaloPSA, edited in the console");
        click(By.xpath("//button[normalize-space()='Save integration']"));
        awaitHeading("HaloUI");
        awaitText("main", "HaloPSA, edited in the console");
        assertEquals(
                "HaloPSA, edited in the console",
                admin.get("/v1/integrations/HaloUI").json().path("description").asText());

        // Mappings: two orgs with overrides.
        click(By.id("tab-mappings"));
        awaitTab("Mappings");
        addMapping("org-1", "tenant-1", Map.of("config.timeout", "60"));
        addMapping(
                "org-2",
                "tenant-2",
                Map.of("config.base_url", "https://eu.halo.example", "config.api_key", ORG_SECRET));
        awaitPresent(By.cssSelector("tr[data-org='org-2']"));
        assertEquals(
                60,
                admin.get("/v1/orgs/org-1/integrations/HaloUI")
                        .json()
                        .path("config")
                        .path("timeout")
                        .asInt());
        JsonNode org2 = admin.get("/v1/orgs/org-2/integrations/HaloUI").json();
        assertEquals(
                "https://eu.halo.example", org2.path("config").path("base_url").asText());
        assertEquals(ORG_SECRET, org2.path("config").path("api_key").asText());
        assertEquals("missing", badge("org-1"), "not connected yet");
        assertNoSecretInPage();

        // Live: a mapping written elsewhere shows up without a reload (GET /v1/events/stream).
        await(d -> "open".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        assertEquals(
                201,
                admin.put("/v1/integrations/HaloUI/mappings/org-3", "{\"entity_id\":\"tenant-3\",\"config\":{}}")
                        .status());
        awaitPresent(By.cssSelector("tr[data-org='org-3']"));
        click(By.cssSelector("button[aria-label='Delete org-3']"));
        click(By.cssSelector("button[aria-label='Delete org-3']"));
        await(d -> d.findElements(By.cssSelector("tr[data-org='org-3']")).isEmpty());

        // Search by entity id.
        type(By.cssSelector("input[type='search']"), "tenant-2");
        assertFalse(find(By.cssSelector("tr[data-org='org-1']")).isDisplayed(), "filtered out");
        assertTrue(find(By.cssSelector("tr[data-org='org-2']")).isDisplayed());
        find(By.cssSelector("input[type='search']")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        assertTrue(find(By.cssSelector("tr[data-org='org-1']")).isDisplayed(), "search cleared");

        // Connect org-1 through the provider in a new window, and see it active.
        connectInNewWindow(By.cssSelector("button[aria-label='Connect org-1']"));
        await(d -> "active".equals(badge("org-1")));
        assertEquals(
                "active",
                admin.get("/v1/orgs/org-1/integrations/HaloUI")
                        .json()
                        .path("oauth")
                        .path("status")
                        .asText());
        assertNoSecretInPage();
        browser.assertAccessible();
        shot("console-mappings");

        // History: the integration's events as a timeline, secrets masked.
        click(By.id("tab-history"));
        awaitText(".timeline", "MappingUpserted");
        String timeline = find(By.cssSelector(".timeline")).getText();
        assertTrue(timeline.contains("IntegrationCreated"), timeline);
        assertTrue(timeline.contains("IntegrationDefaultsSet"), timeline);
        assertNoSecretInPage();
        browser.assertAccessible();
        shot("console-history");

        // Keyboard: the tabs move with the arrow keys.
        find(By.id("tab-history")).sendKeys(Keys.ARROW_LEFT);
        await(d -> "true".equals(d.findElement(By.id("tab-mappings")).getAttribute("aria-selected")));
        assertEquals("tab-mappings", driver.switchTo().activeElement().getAttribute("id"), "focus follows");

        // The list shows it with its mapping count; the OAuth page shows the connection and token health.
        open("#/integrations");
        awaitPresent(By.cssSelector("tr[data-integration='HaloUI']"));
        WebElement row = find(By.cssSelector("tr[data-integration='HaloUI']"));
        assertTrue(row.getText().contains("OAUTH2"), row.getText());
        assertTrue(row.getText().contains("2"), row.getText());
        shot("console-integrations");
        browser.resize(375, 800);
        assertTrue(
                ((Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth"))
                                .intValue()
                        <= 375,
                "no horizontal scrolling at 375 px");
        shot("console-integrations-narrow");
        browser.resize(1280, 900);

        click(By.linkText("OAuth connections"));
        awaitPresent(By.cssSelector("tr[data-connection='halo-ui-oauth']"));
        awaitText(".health", "Next refreshes");
        assertTrue(find(By.cssSelector(".health")).getText().contains("org-1"), "org-1's token is due for refresh");

        // The connection's global token, through the provider in a new window, then shown connected.
        connectInNewWindow(By.cssSelector("button[aria-label='Connect halo-ui-oauth']"));
        await(d -> d.findElements(By.cssSelector("tr[data-connection='halo-ui-oauth'] .global-status .badge")).stream()
                .anyMatch(b -> "active".equals(b.getAttribute("data-status"))));
        assertEquals(
                "active",
                admin.get("/v1/integrations/HaloUI/global")
                        .json()
                        .path("oauth")
                        .path("status")
                        .asText());
        assertNoSecretInPage();
        browser.assertAccessible();
        shot("console-oauth");

        click(By.linkText("New connection"));
        awaitHeading("New OAuth connection");
        new Select(find(field("grant_type"))).selectByValue("oauth1");
        assertTrue(find(field("request_token_url")).isDisplayed(), "OAuth 1.0a's own fields");
        assertFalse(find(field("token_url")).isDisplayed(), "no token URL for OAuth 1.0a");
        browser.assertAccessible();
        shot("console-oauth-new");
        assertNoPolicyViolations();
    }

    @Test
    void shouldShowTheServersFieldErrorNextToItsFieldAndOfferAReloadOnAConflict() {
        String schema = "[{\"key\":\"timeout\",\"type\":\"int\",\"required\":false},"
                + "{\"key\":\"options\",\"type\":\"json\",\"required\":false}]";
        assertEquals(
                201,
                admin.post(
                                "/v1/integrations",
                                "{\"name\":\"Errors\",\"auth_scheme\":\"API_KEY\",\"config_schema\":" + schema + "}")
                        .status());
        open("#/integrations/Errors/configuration");
        awaitTab("Configuration");

        // 1.5 is a number, so the page sends it; the hub's schema check refuses it (422) and names the field.
        type(field("config.timeout"), "1.5");
        click(By.xpath("//button[normalize-space()='Save defaults']"));
        WebElement error = await(d -> d.findElement(By.cssSelector("[data-field='config.timeout'] + .field-error")));
        assertTrue(error.getText().contains("int"), "the server's message: " + error.getText());
        WebElement timeout = find(field("config.timeout"));
        assertEquals("true", timeout.getAttribute("aria-invalid"));
        assertTrue(timeout.getAttribute("aria-describedby").contains(error.getAttribute("id")), "described by it");
        browser.assertAccessible();
        shot("console-field-error");

        // Invalid JSON is caught before sending, shown the same way.
        type(field("config.timeout"), "5");
        type(field("config.options"), "{not json");
        click(By.xpath("//button[normalize-space()='Save defaults']"));
        WebElement jsonError =
                await(d -> d.findElement(By.cssSelector("[data-field='config.options'] + .field-error")));
        assertEquals("is not valid JSON", jsonError.getText());
        assertTrue(find(By.cssSelector("[data-field='config.timeout']")).getAttribute("aria-invalid") == null, "fixed");

        // Someone else changes the defaults meanwhile: the save answers 412 and the page offers a reload.
        assertEquals(
                200,
                admin.put("/v1/integrations/Errors/defaults", "{\"config\":{\"timeout\":99}}")
                        .status());
        type(field("config.options"), "[1]");
        click(By.xpath("//button[normalize-space()='Save defaults']"));
        awaitText(".alert", "changed meanwhile");
        shot("console-conflict");
        click(By.cssSelector(".alert button.reload"));
        await(d -> "99".equals(d.findElement(field("config.timeout")).getAttribute("value")));
        assertEquals(
                99,
                admin.get("/v1/integrations/Errors")
                        .json()
                        .path("defaults")
                        .path("timeout")
                        .asInt(),
                "kept");
        assertNoPolicyViolations();
    }

    @Test
    void shouldSendABadTokenBackToTheLoginPageSayingItIsInvalid() {
        driver.get(hub.url() + "/console/login.html");
        await(d -> d.findElement(By.id("token")));
        browser.assertAccessible();
        shot("console-login");
        type(By.id("token"), TestTokens.org("org-1"));
        click(By.cssSelector("button[type='submit']"));
        await(d -> d.getCurrentUrl().contains("error=invalid"));
        awaitText("#login-error", "invalid token");
        assertEquals("true", find(By.id("token")).getAttribute("aria-invalid"));
        browser.assertAccessible();
    }

    private static void signIn() {
        driver.get(hub.url() + "/console/login.html");
        await(d -> d.findElement(By.id("token"))).sendKeys(TestTokens.admin());
        driver.findElement(By.cssSelector("button[type='submit']")).click();
        await(d -> d.findElements(By.cssSelector("main h1")).stream()
                .anyMatch(h -> h.getText().equals("Integrations")));
    }

    /** Waits like the browser fixture, failing with where the page is, its text and its script errors. */
    private static <T> T await(Function<WebDriver, T> condition) {
        try {
            // A node re-rendered or navigated away between finding and reading it is read again on the next poll.
            return new WebDriverWait(driver, WAIT).until(HeadlessChromium.askedAgainWhenReplaced(condition));
        } catch (TimeoutException e) {
            Object errors = ((JavascriptExecutor) driver).executeScript("return window.__errors || []");
            String text = driver.findElements(By.tagName("body")).stream()
                    .map(WebElement::getText)
                    .findFirst()
                    .orElse("");
            throw new AssertionError(
                    "timed out at " + driver.getCurrentUrl() + "\nscript errors: " + errors + "\npage text:\n" + text,
                    e);
        }
    }

    /** A docs screenshot of the whole page (the window made as tall as the page for it), when screenshots are on. */
    private static void shot(String name) {
        if (System.getProperty("console.screenshots", "").isBlank()) return;
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("window.scrollTo(0, 0)");
        int width = driver.manage().window().getSize().getWidth();
        int height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).intValue();
        browser.resize(width, Math.min(Math.max(height + 140, 900), 2400));
        browser.screenshotForDocs(name);
        browser.resize(width, 900);
    }

    private static void open(String hash) {
        driver.get(hub.url() + "/console/index.html" + hash);
    }

    private static By field(String name) {
        return By.cssSelector("[data-field='" + name + "']");
    }

    private static WebElement find(By by) {
        return await(d -> d.findElement(by));
    }

    private static void click(By by) {
        await(d -> {
                    WebElement e = d.findElement(by);
                    return e.isDisplayed() && e.isEnabled() ? e : null;
                })
                .click();
    }

    private static void type(By by, String text) {
        WebElement e = find(by);
        e.clear();
        e.sendKeys(text);
    }

    private static void awaitHeading(String text) {
        await(d -> d.findElements(By.cssSelector("main h1")).stream()
                .anyMatch(h -> h.getText().equals(text)));
    }

    private static void awaitTab(String text) {
        await(d -> d.findElements(By.cssSelector("[role='tab'][aria-selected='true']")).stream()
                .anyMatch(t -> t.getText().equals(text)));
        await(d -> !d.findElement(By.id("tabpanel")).getText().isBlank());
    }

    private static void awaitText(String css, String text) {
        await(d -> d.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)));
    }

    private static void awaitPresent(By by) {
        await(d -> !d.findElements(by).isEmpty());
    }

    private static void addSchemaField(String key, String type, boolean required) {
        int index = driver.findElements(By.cssSelector(".schema-row")).size();
        click(By.xpath("//button[normalize-space()='Add field']"));
        type(field("config_schema[" + index + "].key"), key);
        new Select(find(field("config_schema[" + index + "].type"))).selectByValue(type);
        if (required) click(field("config_schema[" + index + "].required"));
    }

    private static void addMapping(String org, String entityId, Map<String, String> overrides) {
        click(By.xpath("//button[normalize-space()='Add mapping']"));
        type(field("org_id"), org);
        type(field("entity_id"), entityId);
        type(field("entity_name"), org + " Inc");
        overrides.forEach((name, value) -> type(field(name), value));
        click(By.xpath("//button[normalize-space()='Add mapping' and @type='submit']"));
        awaitPresent(By.cssSelector("tr[data-org='" + org + "']"));
    }

    /** Clicks a Connect button, follows the provider (the stand-in consents at once) in the window it opens, closes it. */
    private static void connectInNewWindow(By button) {
        String console = driver.getWindowHandle();
        Set<String> before = driver.getWindowHandles();
        click(button);
        String popup = await(d -> d.getWindowHandles().stream()
                .filter(h -> !before.contains(h))
                .findFirst()
                .orElse(null));
        driver.switchTo().window(popup);
        await(d -> d.findElement(By.tagName("body")).getText().contains("You can close this window"));
        driver.close();
        driver.switchTo().window(console);
    }

    private static String badge(String org) {
        List<WebElement> badges =
                driver.findElements(By.cssSelector("tr[data-org='" + org + "'] td.credential .badge"));
        return badges.isEmpty() ? null : badges.get(0).getAttribute("data-status");
    }

    /** Nothing on this page was blocked by the Content-Security-Policy (no inline script or style, no eval). */
    private static void assertNoPolicyViolations() {
        Object violations = ((JavascriptExecutor) driver).executeScript("return window.__csp");
        assertEquals(List.of(), violations, "CSP violations");
        assertEquals(List.of(), ((JavascriptExecutor) driver).executeScript("return window.__errors"), "script errors");
    }

    private static void assertNoSecretInPage() {
        String source = driver.getPageSource();
        assertFalse(source.contains(DEFAULT_SECRET), "the default secret is never in the page");
        assertFalse(source.contains(ORG_SECRET), "the org's secret is never in the page");
        assertFalse(source.contains("console-client-secret"), "the client secret is never in the page");
    }
}
