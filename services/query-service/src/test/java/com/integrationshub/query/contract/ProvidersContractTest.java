package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider catalogue of API.md ("OAuth connections") through HTTP against a real broker: the list, one entry, a
 * 404 for an unknown one, and connections created from an entry (filled members, explicit ones winning, the secret
 * masked), with hostile provider names answered 4xx by a service that stays up.
 */
class ProvidersContractTest {

    /** The members API.md shows for every entry. */
    private static final List<String> DOCUMENTED = List.of(
            "provider",
            "display_name",
            "grant_types",
            "authorization_url",
            "token_url",
            "scopes",
            "pkce",
            "token_auth_method",
            "docs_url");

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldListEveryProviderWithTheDocumentedMembers() {
        Http.Reply list = admin.get("/v1/providers");

        assertEquals(200, list.status(), () -> "GET /v1/providers: " + list);
        assertTrue(list.contentType().startsWith("application/json"), () -> "content type: " + list.contentType());
        JsonNode entries = list.json();
        assertTrue(entries.isArray() && entries.size() >= 40, () -> "at least 40 entries: " + entries.size());
        Set<String> ids = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (JsonNode entry : entries) {
            ids.add(entry.path("provider").asText());
            for (String member : DOCUMENTED) {
                if (!entry.has(member)) wrong.add(entry.path("provider").asText() + " lacks " + member);
            }
        }
        assertEquals(List.of(), wrong, "entries without a documented member");
        assertEquals(entries.size(), ids.size(), "one entry per provider");
        JsonNode microsoft = entryOf(entries, "microsoft");
        assertEquals(
                "Microsoft identity platform", microsoft.path("display_name").asText(), "display_name");
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/authorize",
                microsoft.path("authorization_url").asText(),
                "authorization_url as in API.md");
        assertEquals(
                List.of("authorization_code", "client_credentials"),
                texts(microsoft.path("grant_types")),
                "grant_types as in API.md");
        assertEquals(List.of("offline_access"), texts(microsoft.path("scopes")), "scopes as in API.md");
        assertTrue(microsoft.path("pkce").asBoolean(), "pkce");
        assertEquals("client_secret_post", microsoft.path("token_auth_method").asText(), "token_auth_method");
    }

    @Test
    void shouldAnswerOneProviderAndA404ProblemForAnUnknownOne() {
        Http.Reply google = admin.get("/v1/providers/google");
        assertEquals(200, google.status(), () -> "GET /v1/providers/google: " + google);
        assertEquals("google", google.json().path("provider").asText(), "provider");
        assertEquals(
                "https://oauth2.googleapis.com/token",
                google.json().path("token_url").asText(),
                "token_url");
        assertEquals(
                "offline",
                google.json().path("extra_authorize_params").path("access_type").asText());
        assertEquals("none", google.json().path("refresh_token_rotation").asText(), "refresh_token_rotation");

        assertProblem(admin.get("/v1/providers/no-such-provider"), 404, "not-found");
    }

    @Test
    void shouldServeTheCatalogueToAdminTokensOnly() {
        assertEquals(403, admin.as(TestTokens.org("org-a")).get("/v1/providers").status(), "an org token");
        assertEquals(401, admin.as(null).get("/v1/providers/google").status(), "no token");
    }

    @Test
    void shouldCreateAConnectionFromAProviderWithTheMembersItLeavesOut() {
        Http.Reply created = admin.post("/v1/oauth/connections", """
                {"connection_name": "ms-graph", "provider": "microsoft", "client_id": "app-1",
                 "client_secret": "s3cret-value"}""");

        assertEquals(201, created.status(), () -> "create from microsoft: " + created);
        JsonNode c = created.json();
        assertEquals("authorization_code", c.path("grant_type").asText(), "grant_type");
        assertEquals("app-1", c.path("client_id").asText(), "client_id as sent");
        assertEquals("***", c.path("client_secret").asText(), "client_secret masked");
        assertFalse(created.body().contains("s3cret-value"), "the secret is never answered");
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/authorize",
                c.path("authorization_url").asText(),
                "authorization_url keeps {entity_id} for the org's entity id");
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token",
                c.path("token_url").asText(),
                "token_url");
        assertEquals(List.of("offline_access"), texts(c.path("scopes")), "scopes");
        assertEquals("client_secret_post", c.path("client_auth_method").asText(), "client_auth_method");

        Http.Reply read = admin.get("/v1/oauth/connections/ms-graph");
        assertEquals(200, read.status(), () -> "read back: " + read);
        assertEquals(c.path("token_url"), read.json().path("token_url"), "stored token_url");
        assertEquals("***", read.json().path("client_secret").asText(), "client_secret masked on read");
    }

    @Test
    void shouldLetTheRequestsOwnMembersWinOverTheProvidersOnes() {
        Http.Reply created = admin.post("/v1/oauth/connections", """
                {"connection_name": "google-drive", "provider": "google", "client_id": "g-1",
                 "scopes": ["https://www.googleapis.com/auth/drive.readonly"],
                 "client_auth_method": "client_secret_basic"}""");

        assertEquals(201, created.status(), () -> "create from google: " + created);
        JsonNode c = created.json();
        assertEquals(
                List.of("https://www.googleapis.com/auth/drive.readonly"), texts(c.path("scopes")), "scopes as sent");
        assertEquals("client_secret_basic", c.path("client_auth_method").asText(), "client_auth_method as sent");
        assertEquals(
                "https://accounts.google.com/o/oauth2/v2/auth",
                c.path("authorization_url").asText());
        assertEquals(
                "offline", c.path("extra_authorize_params").path("access_type").asText(), "access_type");
        assertEquals("consent", c.path("extra_authorize_params").path("prompt").asText(), "prompt");
        assertTrue(c.path("client_secret").isNull(), "no client_secret sent, none stored");
    }

    @Test
    void shouldFillTheOrgsEntityIdAndTheProvidersAuthorizeParamsWhenAnOrgConnects() {
        assertEquals(201, admin.post("/v1/oauth/connections", """
                {"connection_name": "okta-sso", "provider": "okta", "client_id": "okta-app"}""").status(), "okta");
        assertEquals(201, admin.post("/v1/oauth/connections", """
                {"connection_name": "google-mail", "provider": "google", "client_id": "g-app"}""").status(), "google");
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Sso", "auth_scheme": "OAUTH2", "oauth_connection": "okta-sso", "entity_id_name": "Okta domain"}""").status(), "Sso");
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Mail", "auth_scheme": "OAUTH2", "oauth_connection": "google-mail"}""").status(), "Mail");
        assertEquals(
                201,
                admin.put("/v1/integrations/Sso/mappings/org-a", "{\"entity_id\": \"acme.okta.com\"}")
                        .status(),
                "org-a's Okta domain");

        Http org = admin.as(TestTokens.org("org-a"));
        Http.Reply okta =
                org.post("/v1/orgs/org-a/integrations/Sso/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, okta.status(), () -> "connect through okta: " + okta);
        String oktaUrl = okta.json().path("redirect_url").asText();
        assertTrue(
                oktaUrl.startsWith("https://acme.okta.com/oauth2/v1/authorize?"),
                "the org's domain fills {entity_id}: " + oktaUrl);
        assertTrue(oktaUrl.contains("client_id=okta-app"), "client_id: " + oktaUrl);
        assertTrue(oktaUrl.contains("code_challenge_method=S256"), "PKCE: " + oktaUrl);

        Http.Reply google =
                org.post("/v1/orgs/org-a/integrations/Mail/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, google.status(), () -> "connect through google: " + google);
        String googleUrl = google.json().path("redirect_url").asText();
        assertTrue(
                googleUrl.startsWith("https://accounts.google.com/o/oauth2/v2/auth?"), "authorize URL: " + googleUrl);
        assertTrue(googleUrl.contains("access_type=offline"), "access_type=offline: " + googleUrl);
        assertTrue(googleUrl.contains("prompt=consent"), "prompt=consent: " + googleUrl);
    }

    @Test
    void shouldRefuseAnUnknownOrHostileProviderWith4xxAndStayUp() {
        Http.Reply unknown = admin.post("/v1/oauth/connections", """
                {"connection_name": "nope", "provider": "no-such-provider-7f3a", "client_id": "c"}""");
        assertInvalidFields(unknown, "provider");
        assertFalse(unknown.body().contains("7f3a"), "the value is not echoed: " + unknown.body());
        assertProblem(admin.get("/v1/oauth/connections/nope"), 404, "not-found");

        for (String provider : List.of(
                "\"" + "p".repeat(70 * 1024) + "\"",
                "\"" + "p".repeat(300) + "\"",
                "\"../../etc/passwd\"",
                "\"\\u0000\\n<script>\"",
                "{\"provider\": \"google\"}",
                "[\"google\"]",
                "12")) {
            Http.Reply reply = admin.post(
                    "/v1/oauth/connections",
                    "{\"connection_name\": \"hostile\", \"client_id\": \"c\", \"provider\": " + provider + "}");
            assertInvalidFields(reply, "provider");
        }
        int longName = admin.get("/v1/providers/" + "p".repeat(300)).status();
        assertTrue(longName >= 400 && longName < 500, "a 300-character provider name: 4xx, got " + longName);
        int encoded = admin.get("/v1/providers/%2e%2e%2F%00").status();
        assertTrue(encoded >= 400 && encoded < 500, "an encoded garbage provider name: 4xx, got " + encoded);

        assertEquals(200, admin.get("/health").status(), "/health after the hostile requests");
        assertEquals(200, admin.get("/v1/providers/github").status(), "the catalogue still answers");
        assertProblem(admin.get("/v1/oauth/connections/hostile"), 404, "not-found");
    }

    private static JsonNode entryOf(JsonNode entries, String provider) {
        for (JsonNode entry : entries) {
            if (provider.equals(entry.path("provider").asText())) return entry;
        }
        throw new AssertionError("no entry '" + provider + "' in " + entries);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
