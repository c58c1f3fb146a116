package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in (issue 13, security): an admin token becomes an HttpOnly, SameSite=Strict, Secure session
 * cookie; the cookie makes /v1 requests an admin's, every write needing the session's CSRF token; the cookie and a
 * bearer token never stand in for each other; a one-time login link signs in once. Through HTTP against a real broker.
 */
class ConsoleSignInContractTest {

    private static final String SCHEMA = "{\"key\":\"base_url\",\"type\":\"string\",\"required\":false}";

    private static HubInstance hub;
    private static Http admin;
    private static Http anonymous;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        anonymous = new Http(hub.url(), null);
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldTurnAnAdminTokenIntoAStrictHttpOnlySecureSessionCookie() {
        Http.Reply login = signIn(TestTokens.admin());

        assertEquals(303, login.status(), login.toString());
        assertEquals("/console/", login.header("Location"));
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.startsWith("hub_session="), setCookie);
        List<String> attributes = List.of(setCookie.toLowerCase().split(";\\s*"));
        assertTrue(attributes.contains("httponly"), setCookie);
        assertTrue(attributes.contains("secure"), setCookie);
        assertTrue(attributes.contains("samesite=strict"), setCookie);
        assertTrue(attributes.contains("path=/"), setCookie);

        Http.Reply session = anonymous.send("GET", "/console/session", null, cookie(login));
        assertEquals(200, session.status(), session.toString());
        assertEquals("test-admin", session.json().path("subject").asText());
        assertTrue(session.json().path("csrf_token").asText().length() >= 32, session.body());
        assertFalse(session.json().path("expires_at").asText().isEmpty());
        assertFalse(session.body().contains(TestTokens.admin().split("\\.")[2]), "the admin token is never echoed");
    }

    @Test
    void shouldRefuseToSignInWithAnOrgTokenABadTokenOrNone() {
        for (String token : List.of(TestTokens.org("org-1"), TestTokens.badSignature(), TestTokens.expired(), "x")) {
            Http.Reply login = signIn(token);
            assertEquals(303, login.status(), login.toString());
            assertEquals("/console/login.html?error=invalid", login.header("Location"));
            assertNull(login.header("Set-Cookie"));
        }
        assertProblem(anonymous.get("/console/session"), 401, "unauthorized");
        assertProblem(
                anonymous.send("GET", "/console/session", null, Map.of("Cookie", "hub_session=forged")),
                401,
                "unauthorized");
    }

    @Test
    void shouldLetTheCookieReadAndWriteOnlyWithTheSessionsCsrfToken() {
        Map<String, String> cookie = cookie(signIn(TestTokens.admin()));
        String csrf = anonymous
                .send("GET", "/console/session", null, cookie)
                .json()
                .path("csrf_token")
                .asText();
        String body = "{\"name\":\"CookieWritten\",\"auth_scheme\":\"NO_AUTH\",\"config_schema\":[" + SCHEMA + "]}";

        assertEquals(
                200, anonymous.send("GET", "/v1/integrations", null, cookie).status());

        assertProblem(anonymous.send("POST", "/v1/integrations", body, cookie), 403, "csrf");
        assertProblem(
                anonymous.send("POST", "/v1/integrations", body, with(cookie, "X-CSRF-Token", csrf + "x")),
                403,
                "csrf");
        assertProblem(anonymous.send("POST", "/v1/integrations", body, with(cookie, "X-CSRF-Token", "")), 403, "csrf");
        assertEquals(404, admin.get("/v1/integrations/CookieWritten").status(), "a refused write appends nothing");

        Http.Reply created = anonymous.send("POST", "/v1/integrations", body, with(cookie, "X-CSRF-Token", csrf));
        assertEquals(201, created.status(), created.toString());
        assertEquals(200, admin.get("/v1/integrations/CookieWritten").status());
        Http.Reply deleted =
                anonymous.send("DELETE", "/v1/integrations/CookieWritten", null, with(cookie, "X-CSRF-Token", csrf));
        assertEquals(204, deleted.status(), deleted.toString());
    }

    @Test
    void shouldNeverTakeTheCookieForABearerTokenNorABearerTokenForTheCookie() {
        String session = cookieValue(signIn(TestTokens.admin()));

        assertProblem(new Http(hub.url(), session).get("/v1/integrations"), 401, "unauthorized");
        assertProblem(
                anonymous.send("GET", "/v1/integrations", null, Map.of("Cookie", "hub_session=" + TestTokens.admin())),
                401,
                "unauthorized");
        // Not the instances' internal reads either.
        int internal = anonymous
                .send("GET", "/internal/views/integration?key=x", null, Map.of("Cookie", "hub_session=" + session))
                .status();
        assertTrue(internal == 401 || internal == 403, "internal read with a console cookie: " + internal);
        // A bearer token wins over a cookie: an org token with an admin's cookie stays an org token.
        Http.Reply orgWithCookie = new Http(hub.url(), TestTokens.org("org-1"))
                .send("GET", "/v1/integrations", null, Map.of("Cookie", "hub_session=" + session));
        assertProblem(orgWithCookie, 403, "forbidden");
    }

    @Test
    void shouldSignInOnceWithAOneTimeLoginLink() {
        String ticket = TestTokens.consoleTicket();

        Http.Reply first = anonymous.get("/console/login?ticket=" + ticket);
        assertEquals(303, first.status(), first.toString());
        assertEquals("/console/", first.header("Location"));
        assertEquals(
                200,
                anonymous.send("GET", "/console/session", null, cookie(first)).status());

        Http.Reply again = anonymous.get("/console/login?ticket=" + ticket);
        assertEquals(303, again.status());
        assertEquals("/console/login.html?error=expired", again.header("Location"));
        assertNull(again.header("Set-Cookie"));

        assertProblem(new Http(hub.url(), TestTokens.consoleTicket()).get("/v1/integrations"), 401, "unauthorized");
        Http.Reply adminTokenAsTicket = anonymous.get("/console/login?ticket=" + TestTokens.admin());
        assertEquals("/console/login.html?error=expired", adminTokenAsTicket.header("Location"));
    }

    @Test
    void shouldSignOutOnlyWithTheCsrfToken() {
        Map<String, String> cookie = cookie(signIn(TestTokens.admin()));
        String csrf = anonymous
                .send("GET", "/console/session", null, cookie)
                .json()
                .path("csrf_token")
                .asText();

        assertProblem(anonymous.send("POST", "/console/logout", null, cookie), 403, "csrf");
        Http.Reply out = anonymous.send("POST", "/console/logout", null, with(cookie, "X-CSRF-Token", csrf));
        assertEquals(204, out.status(), out.toString());
        String cleared = out.header("Set-Cookie");
        assertTrue(cleared.startsWith("hub_session=;") || cleared.startsWith("hub_session=\"\""), cleared);
        assertTrue(cleared.toLowerCase().contains("max-age=0"), cleared);
    }

    @Test
    void shouldGiveEveryPageAStrictContentSecurityPolicy() {
        for (String path : List.of("/console/session", "/console/login", "/connect-assets/none.js", "/console")) {
            Http.Reply reply = anonymous.get(path);
            String csp = reply.header("Content-Security-Policy");
            assertNotEquals(null, csp, path + " has no CSP");
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", reply.header("X-Content-Type-Options"), path);
            assertEquals("same-origin", reply.header("Referrer-Policy"), path);
        }
        assertEquals("/console/", anonymous.get("/console").header("Location"));
    }

    @Test
    void shouldServeTheConsoleWhereSignInSendsTheBrowser() {
        Http.Reply page = anonymous.get("/console/");
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\">"), page.body());
        assertNotEquals(null, page.header("Content-Security-Policy"));
        for (String asset : List.of("/console/app.js", "/console/console.css", "/console/login.html")) {
            assertEquals(200, anonymous.get(asset).status(), asset);
        }
    }

    private static Http.Reply signIn(String token) {
        return anonymous.send(
                "POST",
                "/console/login",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    private static String cookieValue(Http.Reply login) {
        String setCookie = login.header("Set-Cookie");
        return setCookie.substring("hub_session=".length(), setCookie.indexOf(';'));
    }

    private static Map<String, String> cookie(Http.Reply login) {
        return Map.of("Cookie", "hub_session=" + cookieValue(login));
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
