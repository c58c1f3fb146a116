package com.integrationshub.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.query.support.HubInstance.Deployment;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth1.OAuth1ProviderStandIn;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every client method against the real query-service running in this JVM on the shared real broker. The integration
 * itself is created over plain HTTP (admin integration CRUD is not the client's business); each test uses its own
 * orgs.
 */
class IntegrationsHubClientIntegrationTest {

    private static final String NAME = "HaloPSA";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static HubInstance hub;
    private static IntegrationsHubClient admin;

    @BeforeAll
    static void start() {
        int port = HubInstance.freePort();
        // The service's context is also a Micronaut application that may inject the client (as admin, of itself).
        hub = HubInstance.start(
                Deployment.fresh(Map.of("micronaut.http.services.integrations-hub.url", "http://127.0.0.1:" + port)),
                HubInstance.newStateDir(),
                port,
                (BearerTokenSource) TestTokens::admin);
        Http http = new Http(hub.url(), TestTokens.admin());
        Await.ready(http);
        Http.Reply created = http.post("/v1/integrations", """
                {"name": "HaloPSA", "description": "HaloPSA ticketing", "auth_scheme": "API_KEY",
                 "entity_id_name": "Tenant ID",
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret", "required": false},
                                   {"key": "timeout", "type": "int", "required": false},
                                   {"key": "verbose", "type": "bool", "required": false},
                                   {"key": "extra", "type": "json", "required": false}]}""");
        assertEquals(201, created.status(), created.body());
        Http.Reply defaults = http.put(
                "/v1/integrations/HaloPSA/defaults",
                "{\"config\": {\"base_url\": \"https://halo.example\", \"timeout\": 30, \"api_key\": \"sk_default\"}}");
        assertEquals(200, defaults.status(), defaults.body());
        admin = IntegrationsHubClient.create(hub.url(), TestTokens::admin, TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.close();
        if (hub != null) hub.close();
    }

    @Test
    void shouldSignOAuth1RequestsTheProviderVerifiesAndReadTheOAuth1Credentials() {
        try (OAuth1ProviderStandIn provider = OAuth1ProviderStandIn.start()) {
            provider.registerConsumer("client-key", "client-consumer-secret", "HMAC-SHA256");
            Http http = new Http(hub.url(), TestTokens.admin());
            assertEquals(
                    201,
                    http.post("/v1/oauth/connections", """
                    {"connection_name": "client-trello", "grant_type": "oauth1", "client_id": "client-key",
                     "client_secret": "client-consumer-secret", "signature_method": "HMAC-SHA256",
                     "request_token_url": "%s", "authorization_url": "%s", "access_token_url": "%s"}""".formatted(
                                    provider.requestTokenUrl(), provider.authorizationUrl(), provider.accessTokenUrl()))
                            .status());
            assertEquals(201, http.post("/v1/integrations", """
                    {"name": "ClientTrello", "auth_scheme": "OAUTH1", "oauth_connection": "client-trello"}""").status());
            Http.Reply connect = http.post(
                    "/v1/orgs/org-o1/integrations/ClientTrello/connect", "{\"auth_scheme\": \"OAUTH1\", \"data\": {}}");
            assertEquals(201, connect.status(), connect.body());
            URI back = URI.create(
                    provider.authorize(connect.json().get("redirect_url").asText()));
            assertEquals(
                    200,
                    new Http(hub.url(), null)
                            .get("/v1/oauth/callback?" + back.getRawQuery())
                            .status());

            String getUrl = provider.resourceUrl("1/boards?fields=name");
            OAuth1Signature get = admin.sign("ClientTrello", "org-o1", "GET", getUrl);
            assertTrue(
                    provider.check("GET", getUrl, get.authorization().orElseThrow(), null)
                            .accepted(),
                    get.toString());
            String postUrl = provider.resourceUrl("1/cards");
            OAuth1Signature post = admin.sign(
                    "ClientTrello", "org-o1", "POST", postUrl, Map.of("name", "Card", "tag", List.of("a", "b")));
            assertTrue(
                    provider.check("POST", postUrl, post.authorization().orElseThrow(), "name=Card&tag=a&tag=b")
                            .accepted(),
                    "the form was signed");

            Credentials credentials = admin.credentials("ClientTrello", "org-o1");
            assertEquals(Optional.of("client-key"), credentials.consumerKey());
            assertEquals(Optional.of("HMAC-SHA256"), credentials.signatureMethod());
            String token = credentials.oauthToken().orElseThrow();
            assertTrue(provider.accessTokens().stream().anyMatch(t -> t.token().equals(token)), "the provider's token");
            assertFalse(credentials.toString().contains(token), "never printed: " + credentials);
        }
    }

    @Test
    void shouldCreateThenChangeAMappingAndReadItBackEveryWay() {
        UpsertResult created = admin.upsertMapping(
                NAME,
                "org-rw",
                new MappingRequest("tenant-rw", "Acme Corp", Map.of("timeout", 60, "api_key", "sk_org_rw"), null));
        UpsertResult changed = admin.upsertMapping(
                NAME, "org-rw", MappingRequest.of("tenant-rw", "Acme Corporation", Map.of("timeout", 90)));

        assertTrue(created.created(), "the first upsert creates: " + created);
        assertEquals(1, created.mapping().version());
        assertEquals("***", created.mapping().config().get("api_key"), "the admin view masks secrets");
        assertFalse(changed.created(), "the second upsert changes: " + changed);
        assertEquals(2, changed.mapping().version());
        IntegrationMapping read = admin.getMapping(NAME, "org-rw");
        assertEquals(changed.mapping(), read);
        assertEquals("org-rw", read.organizationId());
        assertEquals("tenant-rw", read.entityId());
        assertEquals("Acme Corporation", read.entityName());
        assertNull(read.oauthTokenId());
        assertEquals(90, ((Number) read.config().get("timeout")).intValue());
        assertFalse(read.config().containsKey("api_key"), "an upsert replaces the overrides: " + read.config());
        assertEquals(created.mapping().createdAt(), read.createdAt());
        assertFalse(read.updatedAt().isBefore(read.createdAt()));
        assertTrue(
                read.createdAt().isAfter(Instant.now().minus(Duration.ofMinutes(5))),
                read.createdAt().toString());
        assertTrue(admin.listMappings(NAME).contains(read), "listed: " + admin.listMappings(NAME));
        assertEquals(List.of(read), admin.listMappings(NAME, "tenant-rw"));
        assertEquals(Optional.of(read), admin.getMappingByEntityId(NAME, "tenant-rw"));
        assertEquals(Optional.empty(), admin.getMappingByEntityId(NAME, "tenant-nobody"));
    }

    @Test
    void shouldServeAnOrgItsMergedViewWithSecretsAndTheAdminTheGlobalView() {
        admin.upsertMapping(
                NAME,
                "org-view",
                MappingRequest.of(
                        "tenant-view",
                        "Viewers",
                        Map.of("timeout", 45, "verbose", true, "extra", Map.of("region", "eu"))));

        try (IntegrationsHubClient org = IntegrationsHubClient.create(hub.url(), () -> TestTokens.org("org-view"))) {
            IntegrationData view = org.get(NAME, "org-view");
            List<IntegrationData> all = org.listOrgIntegrations("org-view");

            assertEquals(NAME, view.name());
            assertEquals("tenant-view", view.entityId());
            assertEquals("Viewers", view.entityName());
            assertEquals("https://halo.example", view.config().get("base_url"));
            assertEquals("sk_default", view.config().get("api_key"), "the org's view reveals secrets");
            assertEquals(45, ((Number) view.config().get("timeout")).intValue());
            assertEquals(true, view.config().get("verbose"));
            assertEquals(Map.of("region", "eu"), view.config().get("extra"));
            assertNull(view.oauth(), "no OAuth connection");
            assertEquals(List.of(view), all);
        }
        IntegrationData global = admin.getGlobal(NAME);
        assertNull(global.entityId());
        assertEquals(30, ((Number) global.config().get("timeout")).intValue());
        assertEquals("sk_default", global.config().get("api_key"));
        assertFalse(global.integrationId().isBlank());
    }

    @Test
    void shouldDoEveryCallAsynchronously() throws Exception {
        UpsertResult created = await(admin.upsertMappingAsync(NAME, "org-async", MappingRequest.of("tenant-async")));
        UpsertResult changed = await(admin.upsertMappingAsync(
                NAME,
                "org-async",
                MappingRequest.of("tenant-async", "Async Ltd", Map.of("timeout", 5)),
                WriteOptions.ifMatch(1)));

        assertTrue(created.created());
        assertEquals(2, changed.mapping().version());
        assertEquals(changed.mapping(), await(admin.getMappingAsync(NAME, "org-async")));
        assertTrue(await(admin.listMappingsAsync(NAME)).contains(changed.mapping()));
        assertEquals(List.of(changed.mapping()), await(admin.listMappingsAsync(NAME, "tenant-async")));
        assertEquals(Optional.of(changed.mapping()), await(admin.getMappingByEntityIdAsync(NAME, "tenant-async")));
        assertEquals(
                5, ((Number) await(admin.getAsync(NAME, "org-async")).config().get("timeout")).intValue());
        assertEquals(NAME, await(admin.getGlobalAsync(NAME)).name());
        assertEquals(
                List.of(NAME),
                await(admin.listOrgIntegrationsAsync("org-async")).stream()
                        .map(IntegrationData::name)
                        .toList());
        await(admin.deleteMappingAsync(NAME, "org-async", WriteOptions.ifMatch(2)));
        ExecutionException gone = assertThrows(
                ExecutionException.class,
                () -> admin.getMappingAsync(NAME, "org-async").get(20, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, gone.getCause());
        await(admin.upsertMappingAsync(NAME, "org-async", MappingRequest.of("tenant-async")));
        await(admin.deleteMappingAsync(NAME, "org-async"));
        assertEquals(Optional.empty(), await(admin.getMappingByEntityIdAsync(NAME, "tenant-async")));
    }

    @Test
    void shouldRefuseAStaleIfMatchWith412AndApplyTheCurrentOne() {
        admin.upsertMapping(NAME, "org-412", MappingRequest.of("tenant-412"));

        PreconditionFailedException stale = assertThrows(
                PreconditionFailedException.class,
                () -> admin.upsertMapping(
                        NAME,
                        "org-412",
                        MappingRequest.of("tenant-412", null, Map.of("timeout", 1)),
                        WriteOptions.ifMatch(7)));
        PreconditionFailedException staleDelete = assertThrows(
                PreconditionFailedException.class, () -> admin.deleteMapping(NAME, "org-412", WriteOptions.ifMatch(7)));
        UpsertResult current = admin.upsertMapping(
                NAME, "org-412", MappingRequest.of("tenant-412", null, Map.of("timeout", 2)), WriteOptions.ifMatch(1));

        assertEquals(412, stale.status());
        assertEquals("stale-version", stale.problem().typeName());
        assertTrue(stale.detail().orElse("").contains("1"), "the detail names the current version: " + stale.detail());
        assertEquals(412, staleDelete.status());
        assertEquals(2, current.mapping().version());
        assertEquals(2, ((Number) admin.getMapping(NAME, "org-412").config().get("timeout")).intValue());
    }

    @Test
    void shouldApplyAWriteRetriedWithTheSameIdempotencyKeyOnce() {
        WriteOptions once = WriteOptions.idempotencyKey("client-it-retry-1");
        MappingRequest request = MappingRequest.of("tenant-idem", null, Map.of("timeout", 7));

        UpsertResult first = admin.upsertMapping(NAME, "org-idem", request, once);
        UpsertResult retried = admin.upsertMapping(NAME, "org-idem", request, once);

        assertEquals(1, first.mapping().version());
        assertEquals(1, retried.mapping().version(), "the retry is not applied again");
        assertEquals(1, admin.getMapping(NAME, "org-idem").version());
    }

    @Test
    void shouldRejectABadConfigWith422NamingTheField() {
        ValidationException e = assertThrows(
                ValidationException.class,
                () -> admin.upsertMapping(
                        NAME, "org-422", MappingRequest.of("tenant-422", null, Map.of("timeout", "soon"))));

        assertEquals(422, e.status());
        assertEquals("validation-failed", e.problem().typeName());
        assertFalse(e.errors().isEmpty(), "field errors listed");
        assertTrue(e.errors().stream().anyMatch(f -> f.field().contains("timeout")), "names timeout: " + e.errors());
        assertThrows(NotFoundException.class, () -> admin.getMapping(NAME, "org-422"), "nothing was stored");
    }

    @Test
    void shouldThrowNotFoundForAMissingIntegrationOrMapping() {
        NotFoundException noIntegration =
                assertThrows(NotFoundException.class, () -> admin.get("NoSuchThing", "org-1"));
        NotFoundException noMapping = assertThrows(NotFoundException.class, () -> admin.getMapping(NAME, "org-never"));
        NotFoundException noDelete =
                assertThrows(NotFoundException.class, () -> admin.deleteMapping(NAME, "org-never"));
        assertThrows(NotFoundException.class, () -> admin.getGlobal("NoSuchThing"));
        assertThrows(NotFoundException.class, () -> admin.listMappings("NoSuchThing"));

        assertEquals(404, noIntegration.status());
        assertEquals("not-found", noIntegration.problem().typeName());
        assertTrue(noIntegration.detail().orElse("").contains("NoSuchThing"), noIntegration.getMessage());
        assertEquals(404, noMapping.status());
        assertEquals(404, noDelete.status());
    }

    @Test
    void shouldDeleteAMappingSoItIsGoneEverywhere() {
        admin.upsertMapping(NAME, "org-del", MappingRequest.of("tenant-del"));

        admin.deleteMapping(NAME, "org-del");

        assertThrows(NotFoundException.class, () -> admin.getMapping(NAME, "org-del"));
        assertEquals(Optional.empty(), admin.getMappingByEntityId(NAME, "tenant-del"));
        assertNull(admin.get(NAME, "org-del").entityId(), "the org sees the defaults again");
        assertThrows(NotFoundException.class, () -> admin.deleteMapping(NAME, "org-del"));
    }

    @Test
    void shouldThrowUnauthorizedForATokenSignedWithAnotherSecret() {
        try (IntegrationsHubClient forged = IntegrationsHubClient.create(hub.url(), TestTokens::badSignature);
                IntegrationsHubClient anonymous = IntegrationsHubClient.create(hub.url(), () -> null)) {
            UnauthorizedException bad = assertThrows(UnauthorizedException.class, () -> forged.getGlobal(NAME));
            assertThrows(UnauthorizedException.class, () -> anonymous.get(NAME, "org-1"));

            assertEquals(401, bad.status());
            assertEquals("unauthorized", bad.problem().typeName());
        }
    }

    @Test
    void shouldThrowForbiddenForAnOrgTokenOnAdminEndpointsAndOtherOrgs() {
        try (IntegrationsHubClient org = IntegrationsHubClient.create(hub.url(), () -> TestTokens.org("org-403"))) {
            ForbiddenException onAdmin = assertThrows(ForbiddenException.class, () -> org.listMappings(NAME));
            assertThrows(ForbiddenException.class, () -> org.upsertMapping(NAME, "org-403", MappingRequest.of("t")));
            assertThrows(ForbiddenException.class, () -> org.getGlobal(NAME));
            assertThrows(ForbiddenException.class, () -> org.get(NAME, "org-other"));

            assertEquals(403, onAdmin.status());
            assertEquals("forbidden", onAdmin.problem().typeName());
            assertEquals(NAME, org.get(NAME, "org-403").name(), "its own org is allowed");
        }
    }

    @Test
    void shouldWorkInjectedIntoAMicronautApplication() {
        IntegrationsHubClient injected = hub.context().getBean(IntegrationsHubClient.class);
        admin.upsertMapping(NAME, "org-injected", MappingRequest.of("tenant-injected"));

        IntegrationMapping read = injected.getMapping(NAME, "org-injected");
        injected.close();

        assertEquals("tenant-injected", read.entityId());
        assertEquals(
                NAME, injected.getGlobal(NAME).name(), "closing an injected client leaves the context's client open");
    }

    @Test
    void shouldThrowNotAuthorizedBeforeConnectingThenServeTheRawApiKey() throws Exception {
        Http orgHttp = new Http(hub.url(), TestTokens.org("org-cred"));
        try (IntegrationsHubClient org = IntegrationsHubClient.create(hub.url(), () -> TestTokens.org("org-cred"))) {
            NotAuthorizedException before =
                    assertThrows(NotAuthorizedException.class, () -> org.credentials(NAME, "org-cred"));
            connectApiKey(orgHttp, NAME, "org-cred", "sk_live_cred");

            Credentials credentials = org.credentials(NAME, "org-cred");
            Credentials async = await(org.credentialsAsync(NAME, "org-cred"));

            assertEquals(409, before.status());
            assertEquals("not-authorized", before.problem().typeName());
            assertEquals(Optional.empty(), before.authorizeUrl(), "no authorize URL for static credentials");
            assertEquals(Map.of("api_key", "sk_live_cred"), credentials.values(), "the org's key, not the config's");
            assertEquals(Optional.of("sk_live_cred"), credentials.apiKey());
            assertEquals(credentials, async);
            assertFalse(credentials.toString().contains("sk_live_cred"), credentials.toString());
        }
    }

    @Test
    void shouldRenderCredentialHeadersAndNameAKeyThatIsNotSet() {
        Http http = new Http(hub.url(), TestTokens.admin());
        Http.Reply created = http.post("/v1/integrations", """
                {"name": "Billing", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "account", "type": "string", "required": false}],
                 "credential_headers": {"Authorization": "Bearer {api_key}", "X-Account": "{account}"}}""");
        assertEquals(201, created.status(), created.body());
        connectApiKey(new Http(hub.url(), TestTokens.org("org-bill")), "Billing", "org-bill", "sk_live_bill");
        try (IntegrationsHubClient org = IntegrationsHubClient.create(hub.url(), () -> TestTokens.org("org-bill"))) {
            KeyNotFoundException missing =
                    assertThrows(KeyNotFoundException.class, () -> org.credentials("Billing", "org-bill"));
            admin.upsertMapping("Billing", "org-bill", MappingRequest.of("acct-bill", null, Map.of("account", "A-7")));

            Credentials headers = org.credentials("Billing", "org-bill");

            assertEquals("account", missing.key());
            assertInstanceOf(ConflictException.class, missing);
            assertEquals(Map.of("Authorization", "Bearer sk_live_bill", "X-Account", "A-7"), headers.values());
            assertEquals(Optional.of("Bearer sk_live_bill"), headers.header("authorization"));
            assertEquals(Optional.empty(), headers.apiKey(), "rendered headers instead of the raw values");
        }
    }

    @Test
    void shouldThrowNotAuthorizedWithTheAuthorizeUrlForOAuthAndOnRefreshWithoutAToken() throws Exception {
        Http http = new Http(hub.url(), TestTokens.admin());
        Http.Reply connection = http.post("/v1/oauth/connections", """
                {"connection_name": "halo-oauth", "client_id": "hub-client", "client_secret": "hub-secret",
                 "authorization_url": "https://provider.example/{entity_id}/authorize",
                 "token_url": "https://provider.example/{entity_id}/token", "scopes": ["read"]}""");
        assertEquals(201, connection.status(), connection.body());
        Http.Reply created = http.post("/v1/integrations", """
                {"name": "HaloOAuth", "auth_scheme": "OAUTH2", "oauth_connection": "halo-oauth",
                 "config_schema": [{"key": "base_url", "type": "string", "required": false}]}""");
        assertEquals(201, created.status(), created.body());
        admin.upsertMapping("HaloOAuth", "org-oauth", MappingRequest.of("tenant-oauth"));

        try (IntegrationsHubClient org = IntegrationsHubClient.create(hub.url(), () -> TestTokens.org("org-oauth"))) {
            NotAuthorizedException credentials =
                    assertThrows(NotAuthorizedException.class, () -> org.credentials("HaloOAuth", "org-oauth"));
            NotAuthorizedException refresh =
                    assertThrows(NotAuthorizedException.class, () -> org.refresh("HaloOAuth", "org-oauth"));
            ExecutionException refreshAsync = assertThrows(
                    ExecutionException.class,
                    () -> org.refreshAsync("HaloOAuth", "org-oauth").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

            String url = credentials
                    .authorizeUrl()
                    .orElseThrow(() -> new AssertionError("no authorize_url: " + credentials));
            // A read mints no authorization: the URL is the hub's connect, which starts one on a POST.
            assertTrue(url.endsWith("/v1/orgs/org-oauth/integrations/HaloOAuth/connect"), url);
            assertEquals(409, refresh.status());
            assertEquals("not-authorized", refresh.problem().typeName());
            assertInstanceOf(NotAuthorizedException.class, refreshAsync.getCause());
        }
        assertThrows(
                NotAuthorizedException.class,
                () -> admin.refresh(NAME, "org-cred-none"),
                "an integration without OAuth has no token to refresh");
    }

    private static void connectApiKey(Http http, String name, String orgId, String apiKey) {
        Http.Reply connected = http.post(
                "/v1/orgs/" + orgId + "/integrations/" + name + "/connect",
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + apiKey + "\"}}");
        assertEquals(201, connected.status(), connected.body());
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
