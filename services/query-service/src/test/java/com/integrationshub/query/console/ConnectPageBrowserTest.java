package com.integrationshub.query.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.connect.ConnectSessionTokens;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.browser.HeadlessChromium;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The hosted connect page in headless Chromium against a hub on a real broker: a person connects an API-key
 * integration by its form (the field's error shown next to it first) and an OAuth 2.0 one through the provider in a
 * new window, and sees each become connected; an expired link shows its error page and nothing else.
 */
class ConnectPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;
    private static HeadlessChromium browser;
    private static String returnUrl;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        int port = HubInstance.freePort();
        returnUrl = "http://127.0.0.1:" + port + "/settings";
        hub = HubInstance.start(
                HubInstance.Deployment.fresh(Map.of("hub.connect.return-urls", returnUrl)),
                HubInstance.newStateDir(),
                port);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        provider.registerClient("hub-client", "hub-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "browser-oauth", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.authorizationUrl(), provider.tokenUrl()))
                        .status());
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @AfterEach
    void backToOneWindow() {
        WebDriver driver = browser.driver();
        String first = driver.getWindowHandles().iterator().next();
        for (String handle : Set.copyOf(driver.getWindowHandles())) {
            if (!handle.equals(first)) driver.switchTo().window(handle).close();
        }
        driver.switchTo().window(first);
    }

    @Test
    void shouldConnectAnApiKeyIntegrationByItsFormShowingTheFieldsErrorFirst() {
        String name = integration("Billing-" + SEQUENCE.incrementAndGet(), "API_KEY", null, "Invoices and payments");
        String oauth = integration("Halo-" + SEQUENCE.incrementAndGet(), "OAUTH2", "browser-oauth", "Tickets");
        String org = "org-form-" + SEQUENCE.incrementAndGet();
        WebDriver driver = browser.driver();
        driver.get(session(org, List.of(name, oauth), returnUrl));

        String card = "i-" + name;
        browser.await(WAIT, d -> d.findElement(By.id(card + "-api_key")));
        assertEquals("Not connected", badge(card).getText());
        assertEquals("missing", badge(card).getAttribute("data-status"));
        assertTrue(driver.findElement(By.id("intro")).getText().contains(org), "the page names the org");
        WebElement done = driver.findElement(By.cssSelector("#done a"));
        assertEquals("Done", done.getText());
        assertEquals(returnUrl, done.getAttribute("href"));
        browser.assertAccessible();

        driver.findElement(By.id(card + "-save")).click();
        WebElement error = browser.await(WAIT, d -> {
            WebElement e = d.findElement(By.id(card + "-api_key-error"));
            return e.getText().isBlank() ? null : e;
        });
        assertTrue(error.getText().contains("non-empty"), "the problem's message: " + error.getText());
        WebElement input = driver.findElement(By.id(card + "-api_key"));
        assertEquals("true", input.getAttribute("aria-invalid"));
        assertEquals(
                input.findElement(By.xpath("..")),
                error.findElement(By.xpath("..")),
                "the error is shown next to its field");
        browser.assertAccessible();

        driver.findElement(By.id(card + "-api_key")).sendKeys("sk_browser_1");
        driver.findElement(By.id(card + "-save")).click();
        browser.await(WAIT, d -> "active".equals(badge(card).getAttribute("data-status")));

        assertEquals("Connected", badge(card).getText());
        browser.screenshotForDocs("connect-page");
        browser.resize(375, 800);
        try {
            Object overflow = ((JavascriptExecutor) driver)
                    .executeScript(
                            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, overflow, "readable at 375 px without scrolling sideways");
        } finally {
            browser.resize(1280, 900);
        }
        var credentials =
                admin.as(TestTokens.org(org)).get("/v1/orgs/" + org + "/integrations/" + name + "/credentials");
        assertEquals(200, credentials.status(), credentials::toString);
        assertEquals("sk_browser_1", credentials.json().get("api_key").asText());
        assertFalse(driver.getPageSource().contains("sk_browser_1"), "the key is not left on the page");
    }

    @Test
    void shouldConnectAnOAuthIntegrationThroughTheProviderInANewWindow() {
        String name = integration("Halo-" + SEQUENCE.incrementAndGet(), "OAUTH2", "browser-oauth", "Tickets");
        String org = "org-oauth-" + SEQUENCE.incrementAndGet();
        WebDriver driver = browser.driver();
        driver.get(session(org, List.of(name), null));
        String card = "i-" + name;
        WebElement connect = browser.await(WAIT, d -> d.findElement(By.id(card + "-connect")));
        assertEquals("missing", badge(card).getAttribute("data-status"));
        assertTrue(driver.findElements(By.cssSelector("#done a")).isEmpty(), "no Done link without a return_url");
        String page = driver.getWindowHandle();

        connect.click();

        String popup = browser.await(
                WAIT,
                d -> d.getWindowHandles().stream()
                        .filter(h -> !h.equals(page))
                        .findFirst()
                        .orElse(null));
        driver.switchTo().window(popup);
        browser.await(WAIT, d -> d.getCurrentUrl().startsWith(hub.url() + "/v1/oauth/callback"));
        browser.await(WAIT, d -> d.getPageSource().contains("Connected"));
        driver.switchTo().window(page);
        browser.await(WAIT, d -> "active".equals(badge(card).getAttribute("data-status")));
        assertEquals("Connected", badge(card).getText());
        assertEquals("Reconnect", driver.findElement(By.id(card + "-connect")).getText());
        browser.assertAccessible();
        var view = admin.as(TestTokens.org(org)).get("/v1/orgs/" + org + "/integrations/" + name);
        assertEquals("active", view.json().get("oauth").get("status").asText(), view::toString);
    }

    @Test
    void shouldShowAnExpiredSessionItsErrorPageAndNothingElse() {
        String name = integration("Secret-" + SEQUENCE.incrementAndGet(), "API_KEY", null, "Hidden");
        String token = new ConnectSessionTokens(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8))
                .issue(
                        "org-late",
                        List.of(name),
                        Optional.empty(),
                        Instant.now().minus(Duration.ofMinutes(1)))
                .token();
        WebDriver driver = browser.driver();

        driver.get(hub.url() + "/connect/" + token);

        assertEquals(
                "This link has expired", driver.findElement(By.tagName("h1")).getText());
        assertFalse(driver.getPageSource().contains(name), "no integration name on the error page");
        assertTrue(driver.findElements(By.tagName("form")).isEmpty(), "no form");
        browser.assertAccessible();
        browser.screenshotForDocs("connect-expired");

        driver.get(hub.url() + "/connect/not-a-session");
        assertEquals(
                "This link is not valid", driver.findElement(By.tagName("h1")).getText());
    }

    private static WebElement badge(String card) {
        return browser.driver().findElement(By.cssSelector("#" + card + " .badge"));
    }

    private static String integration(String name, String scheme, String connection, String description) {
        String link = connection == null ? "" : ", \"oauth_connection\": \"" + connection + "\"";
        var created = admin.post(
                "/v1/integrations",
                "{\"name\": \"%s\", \"auth_scheme\": \"%s\", \"description\": \"%s\"%s}"
                        .formatted(name, scheme, description, link));
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    private static String session(String org, List<String> names, String returnTo) {
        String list = String.join("\", \"", names);
        String body = "{\"integrations\": [\"" + list + "\"]"
                + (returnTo == null ? "" : ", \"return_url\": \"" + returnTo + "\"") + "}";
        var created = admin.post("/v1/orgs/" + org + "/connect-sessions", body);
        assertEquals(201, created.status(), created::toString);
        return created.json().get("url").asText();
    }
}
