package com.integrationshub.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.client.support.StubHub;
import com.integrationshub.client.support.StubHub.Reply;
import com.integrationshub.fixture.EagerCallerBean;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON mapping, headers and problem decoding against a canned in-process HTTP stub. */
class IntegrationsHubClientTest {

    private static final String VIEW = """
            {"integration_id": "int-1", "name": "HaloPSA", "entity_id": "tenant-456", "entity_name": "Acme Corp",
             "config": {"base_url": "https://halo.example", "timeout": 30, "verbose": true, "ratio": 0.5,
                        "extra": {"nested": [1, "two"]}, "nothing": null},
             "oauth": {"connection_name": "halo-oauth", "client_id": "cid", "client_secret": "csecret",
                       "authorization_url": "https://p/authorize", "token_url": "https://p/token", "scopes": ["read"],
                       "access_token": "at", "refresh_token": "rt", "expires_at": "2026-11-22T14:00:00Z",
                       "status": "active", "added_later": 1},
             "version": 7, "a_member_added_later": "ignored"}""";
    private static final String MAPPING = """
            {"id": "map-1", "integration_id": "int-1", "organization_id": "%s", "entity_id": "tenant-456",
             "entity_name": null, "oauth_token_id": null, "config": {"timeout": 60, "api_key": "***"},
             "version": %d, "created_at": "2025-01-02T03:04:05.123Z", "updated_at": "2025-01-02T03:04:06Z"}""";

    private static StubHub stub;
    private static IntegrationsHubClient client;
    private static final AtomicInteger TOKENS = new AtomicInteger();

    @BeforeAll
    static void start() {
        stub = StubHub.start();
        client = IntegrationsHubClient.create(
                stub.url(), () -> "token-" + TOKENS.incrementAndGet(), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        client.close();
        stub.close();
    }

    @BeforeEach
    void resetTokens() {
        TOKENS.set(0);
    }

    @Test
    void shouldReadTheOrgViewWithSnakeCaseMembersTypedConfigAndOAuth() {
        stub.on("GET", "/v1/orgs/org-123/integrations/HaloPSA", Reply.json(200, VIEW));

        IntegrationData view = client.get("HaloPSA", "org-123");

        assertEquals(
                new IntegrationData("int-1", "HaloPSA", "tenant-456", "Acme Corp", view.config(), view.oauth(), 7),
                view);
        assertEquals("https://halo.example", view.config().get("base_url"));
        assertEquals(30, ((Number) view.config().get("timeout")).intValue());
        assertEquals(true, view.config().get("verbose"));
        assertEquals(0.5, ((Number) view.config().get("ratio")).doubleValue());
        assertEquals(Map.of("nested", List.of(1, "two")), view.config().get("extra"));
        assertTrue(view.config().containsKey("nothing"), "a null config value is kept: " + view.config());
        OAuthData oauth = view.oauthData().orElseThrow();
        assertEquals(
                new OAuthData(
                        "halo-oauth",
                        "cid",
                        "csecret",
                        "https://p/authorize",
                        "https://p/token",
                        List.of("read"),
                        "at",
                        "rt",
                        Instant.parse("2026-11-22T14:00:00Z"),
                        OAuthData.ACTIVE),
                oauth);
    }

    @Test
    void shouldReadANullOAuthAndNullEntityOfAnUnmappedOrg() {
        stub.on("GET", "/v1/orgs/org-9/integrations/Plain", Reply.json(200, """
                {"integration_id": "int-2", "name": "Plain", "entity_id": null, "entity_name": null,
                 "config": {}, "oauth": null, "version": 1}"""));

        IntegrationData view = client.get("Plain", "org-9");

        assertNull(view.entityId());
        assertNull(view.oauth());
        assertEquals(Optional.empty(), view.oauthData());
        assertEquals(Map.of(), view.config());
    }

    @Test
    void shouldAskTheTokenSourceAtEveryRequest() {
        stub.on("GET", "/v1/integrations/HaloPSA/global", Reply.json(200, VIEW));

        client.getGlobal("HaloPSA");
        String first = stub.last().header("Authorization");
        client.getGlobal("HaloPSA");
        String second = stub.last().header("Authorization");

        assertEquals("Bearer token-1", first);
        assertEquals("Bearer token-2", second);
    }

    @Test
    void shouldListMappingsWithTimesAndFilterByEntityIdInTheQuery() {
        stub.on(
                "GET",
                "/v1/integrations/HaloPSA/mappings",
                Reply.json(200, "[" + MAPPING.formatted("org-1", 1) + "," + MAPPING.formatted("org-2", 3) + "]"));
        stub.on(
                "GET",
                "/v1/integrations/HaloPSA/mappings?entity_id=tenant-456",
                Reply.json(200, "[" + MAPPING.formatted("org-2", 3) + "," + MAPPING.formatted("org-1", 1) + "]"));

        List<IntegrationMapping> all = client.listMappings("HaloPSA");
        Optional<IntegrationMapping> byEntity = client.getMappingByEntityId("HaloPSA", "tenant-456");

        assertEquals(
                List.of("org-1", "org-2"),
                all.stream().map(IntegrationMapping::organizationId).toList());
        IntegrationMapping first = all.get(0);
        assertEquals(Instant.parse("2025-01-02T03:04:05.123Z"), first.createdAt());
        assertEquals(Instant.parse("2025-01-02T03:04:06Z"), first.updatedAt());
        assertEquals("***", first.config().get("api_key"));
        assertNull(first.entityName());
        assertEquals("org-1", byEntity.orElseThrow().organizationId(), "the smallest org id of several");
        assertEquals(
                "GET /v1/integrations/HaloPSA/mappings?entity_id=tenant-456",
                stub.last().method() + " " + stub.last().target());
    }

    @Test
    void shouldAnswerEmptyForAnEntityNoOrgMaps() {
        stub.on("GET", "/v1/integrations/HaloPSA/mappings?entity_id=nobody", Reply.json(200, "[]"));

        assertEquals(Optional.empty(), client.getMappingByEntityId("HaloPSA", "nobody"));
    }

    @Test
    void shouldSendTheMappingAsSnakeCaseJsonWithIfMatchAndIdempotencyKey() {
        stub.on("PUT", "/v1/integrations/HaloPSA/mappings/org-1", Reply.json(200, MAPPING.formatted("org-1", 4)));

        UpsertResult result = client.upsertMapping(
                "HaloPSA",
                "org-1",
                new MappingRequest("tenant-456", null, Map.of("timeout", 60), null),
                WriteOptions.ifMatch(3).withIdempotencyKey("retry-me-1"));

        StubHub.Request sent = stub.last();
        assertEquals("\"3\"", sent.header("If-Match"));
        assertEquals("retry-me-1", sent.header("Idempotency-Key"));
        assertTrue(sent.header("Content-Type").startsWith("application/json"), sent.header("Content-Type"));
        assertEquals(
                "{\"entity_id\":\"tenant-456\",\"entity_name\":null,\"config\":{\"timeout\":60},"
                        + "\"oauth_token_id\":null}",
                sent.body());
        assertFalse(result.created(), "200 means the mapping existed");
        assertEquals(4, result.mapping().version());
    }

    @Test
    void shouldReportCreatedOn201AndSendAFreshIdempotencyKeyPerWrite() {
        stub.on("PUT", "/v1/integrations/HaloPSA/mappings/org-new", Reply.json(201, MAPPING.formatted("org-new", 1)));

        UpsertResult first = client.upsertMapping("HaloPSA", "org-new", MappingRequest.of("tenant-456"));
        String firstKey = stub.last().header("Idempotency-Key");
        client.upsertMapping("HaloPSA", "org-new", MappingRequest.of("tenant-456"));
        String secondKey = stub.last().header("Idempotency-Key");

        assertTrue(first.created());
        assertNull(stub.last().header("If-Match"), "no If-Match without an expected version");
        assertNotNull(firstKey);
        assertTrue(firstKey.matches("[A-Za-z0-9_.-]{1,128}"), firstKey);
        assertFalse(firstKey.equals(secondKey), "each call gets its own key: " + firstKey);
    }

    @Test
    void shouldDeleteWithIfMatch() {
        stub.on(
                "DELETE",
                "/v1/integrations/HaloPSA/mappings/org-1",
                new Reply(204, null, null, Map.of(), Duration.ZERO));

        client.deleteMapping("HaloPSA", "org-1", WriteOptions.ifMatch(9));

        assertEquals("DELETE", stub.last().method());
        assertEquals("\"9\"", stub.last().header("If-Match"));
    }

    @Test
    void shouldThrowNotFoundWithTheProblemOfA404() {
        stub.on("GET", "/v1/integrations/Gone/mappings/org-1", Reply.problem(404, """
                {"type": "https://integrations-hub.dev/problems/not-found", "title": "Not Found", "status": 404,
                 "detail": "integration 'Gone' does not exist"}"""));

        NotFoundException e = assertThrows(NotFoundException.class, () -> client.getMapping("Gone", "org-1"));

        assertEquals(404, e.status());
        assertEquals("https://integrations-hub.dev/problems/not-found", e.type());
        assertEquals("not-found", e.problem().typeName());
        assertEquals("Not Found", e.title());
        assertEquals(Optional.of("integration 'Gone' does not exist"), e.detail());
        assertTrue(e.getMessage().contains("integration 'Gone' does not exist"), e.getMessage());
    }

    @Test
    void shouldThrowValidationWithEveryFieldError() {
        stub.on("PUT", "/v1/integrations/HaloPSA/mappings/org-1", Reply.problem(422, """
                {"type": "https://integrations-hub.dev/problems/validation-failed", "title": "Unprocessable Content",
                 "status": 422, "detail": "the request has 2 invalid field(s)",
                 "errors": [{"field": "config.timeout", "message": "must be an int"},
                            {"field": "config.nope", "message": "is not in the schema"}]}"""));

        ValidationException e = assertThrows(
                ValidationException.class,
                () -> client.upsertMapping("HaloPSA", "org-1", MappingRequest.of("t", null, Map.of("timeout", "x"))));

        assertEquals(
                List.of(
                        new FieldError("config.timeout", "must be an int"),
                        new FieldError("config.nope", "is not in the schema")),
                e.errors());
        assertTrue(e.getMessage().contains("config.timeout must be an int"), e.getMessage());
    }

    @Test
    void shouldMapEachStatusToItsException() {
        Map<Integer, Class<? extends IntegrationsHubException>> expected = Map.of(
                401,
                UnauthorizedException.class,
                403,
                ForbiddenException.class,
                404,
                NotFoundException.class,
                409,
                ConflictException.class,
                412,
                PreconditionFailedException.class,
                422,
                ValidationException.class,
                503,
                ServiceUnavailableException.class,
                400,
                IntegrationsHubException.class,
                413,
                IntegrationsHubException.class,
                500,
                IntegrationsHubException.class);
        expected.forEach((status, type) -> {
            stub.on(
                    "GET",
                    "/v1/integrations/S" + status + "/global",
                    Reply.problem(
                            status,
                            "{\"type\": \"https://integrations-hub.dev/problems/x\", \"title\": \"T\", \"status\": "
                                    + status + "}"));

            IntegrationsHubException e =
                    assertThrows(IntegrationsHubException.class, () -> client.getGlobal("S" + status));

            assertEquals(type, e.getClass(), "status " + status);
            assertEquals(status, e.status());
        });
    }

    @Test
    void shouldKeepExtensionMembersOfAProblem() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Ext", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized", "title": "Conflict", "status": 409,
                 "detail": "connect first", "authorize_url": "https://p/authorize?state=s"}"""));

        ConflictException e = assertThrows(ConflictException.class, () -> client.get("Ext", "org-1"));

        assertEquals("not-authorized", e.problem().typeName());
        assertEquals(
                Map.of("authorize_url", "https://p/authorize?state=s"),
                e.problem().extensions());
    }

    @Test
    void shouldReadRawCredentialsWithTypedAccessorsAndNeverPrintTheirValues() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Halo/credentials", Reply.json(200, "{\"api_key\": \"sk_live_1\"}"));
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Basic/credentials",
                Reply.json(200, "{\"username\": \"ann\", \"password\": \"pw\", \"port\": 8443, \"gone\": null}"));
        stub.on("GET", "/v1/orgs/org-1/integrations/Bearer/credentials", Reply.json(200, "{\"token\": \"tk\"}"));
        stub.on("GET", "/v1/orgs/org-1/integrations/Open/credentials", Reply.json(200, "{}"));

        Credentials apiKey = client.credentials("Halo", "org-1");
        StubHub.Request sent = stub.last();
        Credentials basic = client.credentials("Basic", "org-1");
        Credentials bearer = client.credentials("Bearer", "org-1");
        Credentials none = client.credentials("Open", "org-1");

        assertEquals("GET /v1/orgs/org-1/integrations/Halo/credentials", sent.method() + " " + sent.target());
        assertEquals("Bearer token-1", sent.header("Authorization"));
        assertEquals(Optional.of("sk_live_1"), apiKey.apiKey());
        assertEquals(Map.of("api_key", "sk_live_1"), apiKey.values());
        assertEquals(Optional.empty(), apiKey.token());
        assertEquals(Optional.empty(), apiKey.expiresAt());
        assertEquals(Optional.of("ann"), basic.username());
        assertEquals(Optional.of("pw"), basic.password());
        assertEquals(Optional.of("8443"), basic.get("port"), "a non-string member as its JSON text");
        assertFalse(basic.values().containsKey("gone"), "a null member is left out: " + basic);
        assertEquals(Optional.of("tk"), bearer.token());
        assertTrue(none.isEmpty());
        assertFalse(apiKey.toString().contains("sk_live_1"), apiKey.toString());
        assertFalse(basic.toString().contains("pw"), basic.toString());
        assertTrue(basic.toString().contains("password"), "names the members: " + basic);
    }

    @Test
    void shouldReadAnOAuthAccessTokenWithItsExpiry() {
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Oauth/credentials",
                Reply.json(200, "{\"access_token\": \"at-1\", \"expires_at\": \"2026-11-22T14:00:00Z\"}"));
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Forever/credentials",
                Reply.json(200, "{\"access_token\": \"at-2\", \"expires_at\": null}"));

        Credentials oauth = client.credentials("Oauth", "org-1");
        Credentials forever = client.credentials("Forever", "org-1");

        assertEquals(Optional.of("at-1"), oauth.accessToken());
        assertEquals(Optional.of(Instant.parse("2026-11-22T14:00:00Z")), oauth.expiresAt());
        assertEquals(Optional.of("at-2"), forever.accessToken());
        assertEquals(Optional.empty(), forever.expiresAt(), "no lifetime");
    }

    @Test
    void shouldReadRenderedCredentialHeadersInTheHubsOrderAndFindThemIgnoringCase() {
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Rendered/credentials",
                Reply.json(200, "{\"X-Account\": \"acc-9\", \"Authorization\": \"Bearer sk_live_2\"}"));

        Credentials headers = client.credentials("Rendered", "org-1");

        assertEquals(
                List.of("X-Account", "Authorization"),
                List.copyOf(headers.values().keySet()));
        assertEquals(Optional.of("Bearer sk_live_2"), headers.header("authorization"));
        assertEquals(Optional.of("acc-9"), headers.header("X-Account"));
        assertEquals(Optional.empty(), headers.header("X-Missing"));
        assertEquals(Optional.empty(), headers.apiKey());
        assertThrows(UnsupportedOperationException.class, () -> headers.values().put("X", "y"));
    }

    @Test
    void shouldThrowNotAuthorizedWithTheAuthorizeUrlOrWithout() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Oauth2/credentials", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized", "title": "Conflict", "status": 409,
                 "detail": "the OAuth token is missing: authorize at authorize_url",
                 "authorize_url": "https://p/authorize?state=s&code_challenge=c"}"""));
        stub.on("GET", "/v1/orgs/org-1/integrations/Static/credentials", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized", "title": "Conflict", "status": 409,
                 "detail": "no credentials are set for this org"}"""));

        NotAuthorizedException oauth =
                assertThrows(NotAuthorizedException.class, () -> client.credentials("Oauth2", "org-1"));
        NotAuthorizedException plain =
                assertThrows(NotAuthorizedException.class, () -> client.credentials("Static", "org-1"));

        assertEquals(Optional.of("https://p/authorize?state=s&code_challenge=c"), oauth.authorizeUrl());
        assertEquals(409, oauth.status());
        assertEquals("not-authorized", oauth.problem().typeName());
        assertInstanceOf(ConflictException.class, oauth, "existing catch (ConflictException) blocks still catch it");
        assertEquals(Optional.empty(), plain.authorizeUrl());
        assertEquals(Optional.of("no credentials are set for this org"), plain.detail());
    }

    @Test
    void shouldThrowKeyNotFoundCarryingTheKey() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Tpl/credentials", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/key-not-found", "title": "Conflict", "status": 409,
                 "detail": "credential_headers names 'account', which is not set", "key": "account"}"""));

        KeyNotFoundException e = assertThrows(KeyNotFoundException.class, () -> client.credentials("Tpl", "org-1"));

        assertEquals("account", e.key());
        assertTrue(e.getMessage().contains("'account'"), e.getMessage());
    }

    @Test
    void shouldKeepAnyOther409AConflict() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Other/credentials", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/conflict", "title": "Conflict", "status": 409}"""));
        stub.on("GET", "/v1/orgs/org-1/integrations/Lookalike/credentials", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized-yet", "title": "Conflict", "status": 409}"""));

        IntegrationsHubException other =
                assertThrows(IntegrationsHubException.class, () -> client.credentials("Other", "org-1"));
        IntegrationsHubException lookalike =
                assertThrows(IntegrationsHubException.class, () -> client.credentials("Lookalike", "org-1"));

        assertEquals(ConflictException.class, other.getClass());
        assertEquals(ConflictException.class, lookalike.getClass());
    }

    @Test
    void shouldRefreshWithAPostAndReturnTheNewExpiry() throws Exception {
        stub.on(
                "POST",
                "/v1/orgs/org-1/integrations/Oauth/refresh",
                Reply.json(200, "{\"expires_at\": \"2026-11-22T15:00:00.5Z\", \"status\": \"active\"}"));
        stub.on(
                "POST",
                "/v1/orgs/org-1/integrations/Forever/refresh",
                Reply.json(200, "{\"expires_at\": null, \"status\": \"active\"}"));

        Optional<Instant> expiresAt = client.refresh("Oauth", "org-1");
        StubHub.Request sent = stub.last();
        Optional<Instant> async = client.refreshAsync("Oauth", "org-1").get(5, TimeUnit.SECONDS);

        assertEquals(Optional.of(Instant.parse("2026-11-22T15:00:00.5Z")), expiresAt);
        assertEquals(expiresAt, async);
        assertEquals("POST /v1/orgs/org-1/integrations/Oauth/refresh", sent.method() + " " + sent.target());
        assertEquals("Bearer token-1", sent.header("Authorization"));
        assertEquals("", sent.body());
        assertEquals(Optional.empty(), client.refresh("Forever", "org-1"), "a token without a lifetime");
    }

    @Test
    void shouldThrowNeedsReauthWhenTheProviderRefusesARefreshAlsoAsync() {
        stub.on("POST", "/v1/orgs/org-1/integrations/Revoked/refresh", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/needs-reauth", "title": "Conflict", "status": 409,
                 "detail": "the provider refused the refresh (invalid_grant): connect again"}"""));
        stub.on("POST", "/v1/orgs/org-1/integrations/Never/refresh", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized", "title": "Conflict", "status": 409,
                 "detail": "there is no OAuth token to refresh: connect first"}"""));

        NeedsReauthException e = assertThrows(NeedsReauthException.class, () -> client.refresh("Revoked", "org-1"));
        ExecutionException async = assertThrows(
                ExecutionException.class,
                () -> client.refreshAsync("Revoked", "org-1").get(5, TimeUnit.SECONDS));
        assertThrows(NotAuthorizedException.class, () -> client.refresh("Never", "org-1"));

        assertEquals(409, e.status());
        assertEquals("needs-reauth", e.problem().typeName());
        assertInstanceOf(NeedsReauthException.class, async.getCause());
    }

    @Test
    void shouldFailTheCredentialsFutureWithTheTypedException() throws Exception {
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Tpl2/credentials",
                Reply.problem(
                        409,
                        "{\"type\": \"https://integrations-hub.dev/problems/key-not-found\", \"title\": \"Conflict\", "
                                + "\"status\": 409, \"key\": \"region\"}"));
        stub.on("GET", "/v1/orgs/org-1/integrations/Halo2/credentials", Reply.json(200, "{\"api_key\": \"k\"}"));

        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> client.credentialsAsync("Tpl2", "org-1").get(5, TimeUnit.SECONDS));

        assertEquals(
                "region",
                assertInstanceOf(KeyNotFoundException.class, e.getCause()).key());
        assertEquals(
                Optional.of("k"),
                client.credentialsAsync("Halo2", "org-1")
                        .get(5, TimeUnit.SECONDS)
                        .apiKey());
    }

    @Test
    void shouldCarryRetryAfterAndTheWritesIdempotencyKeyOn503() {
        stub.on(
                "PUT",
                "/v1/integrations/HaloPSA/mappings/org-slow",
                Reply.problem(503, """
                {"type": "https://integrations-hub.dev/problems/decision-timeout", "title": "Service Unavailable",
                 "status": 503, "detail": "retry with the same Idempotency-Key"}""").withHeader("Retry-After", "2"));

        ServiceUnavailableException e = assertThrows(
                ServiceUnavailableException.class,
                () -> client.upsertMapping("HaloPSA", "org-slow", MappingRequest.of("t")));

        assertEquals(Optional.of(Duration.ofSeconds(2)), e.retryAfter());
        assertEquals(Optional.of(stub.last().header("Idempotency-Key")), e.idempotencyKey());
    }

    @Test
    void shouldReadAnHttpDateRetryAfterAndNoKeyForReads() {
        stub.on(
                "GET",
                "/v1/integrations/Busy/global",
                Reply.problem(
                                503,
                                "{\"type\": \"https://integrations-hub.dev/problems/unavailable\", \"title\": \"Service Unavailable\", \"status\": 503}")
                        .withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"));

        ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> client.getGlobal("Busy"));

        assertEquals(Optional.of(Duration.ZERO), e.retryAfter(), "a date in the past means now");
        assertEquals(Optional.empty(), e.idempotencyKey());
    }

    @Test
    void shouldDescribeAnAnswerThatIsNoProblemAsAboutBlank() {
        stub.on(
                "GET",
                "/v1/integrations/Proxy/global",
                new Reply(502, "text/html", "<html>Bad Gateway</html>", Map.of(), Duration.ZERO));

        IntegrationsHubException e = assertThrows(IntegrationsHubException.class, () -> client.getGlobal("Proxy"));

        assertEquals(IntegrationsHubException.class, e.getClass());
        assertEquals(502, e.status());
        assertEquals(Problem.ABOUT_BLANK, e.type());
        assertEquals(Optional.of("<html>Bad Gateway</html>"), e.detail());
    }

    @Test
    void shouldFailTheFutureWithTheSameTypedException() throws Exception {
        stub.on(
                "GET",
                "/v1/orgs/org-1/integrations/Missing",
                Reply.problem(
                        404,
                        "{\"type\": \"https://integrations-hub.dev/problems/not-found\", \"title\": \"Not Found\", \"status\": 404}"));
        stub.on("GET", "/v1/orgs/org-123/integrations/HaloPSA", Reply.json(200, VIEW));

        CompletableFuture<IntegrationData> missing = client.getAsync("Missing", "org-1");
        CompletableFuture<IntegrationData> found = client.getAsync("HaloPSA", "org-123");

        ExecutionException e = assertThrows(ExecutionException.class, () -> missing.get(5, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, e.getCause());
        assertEquals("HaloPSA", found.get(5, TimeUnit.SECONDS).name());
    }

    @Test
    void shouldThrowCommunicationExceptionWhenTheAnswerIsLate() {
        stub.on("GET", "/v1/integrations/Slow/global", Reply.json(200, VIEW).after(Duration.ofSeconds(4)));

        HubCommunicationException e = assertThrows(HubCommunicationException.class, () -> client.getGlobal("Slow"));

        assertTrue(e.getMessage().contains("no answer"), e.getMessage());
    }

    @Test
    void shouldThrowCommunicationExceptionWhenNothingListens() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (IntegrationsHubClient nowhere =
                IntegrationsHubClient.create("http://127.0.0.1:" + closedPort, () -> "t")) {
            assertThrows(HubCommunicationException.class, () -> nowhere.getGlobal("X"));
        }
    }

    @Test
    void shouldSendNoAuthorizationWhenTheSourceGivesNoToken() {
        stub.on("GET", "/v1/integrations/HaloPSA/global", Reply.json(200, VIEW));
        try (IntegrationsHubClient anonymous = IntegrationsHubClient.create(stub.url(), () -> null)) {
            anonymous.getGlobal("HaloPSA");
        }

        assertNull(stub.last().header("Authorization"));
    }

    @Test
    void shouldThrowCommunicationExceptionForABodyThatIsNotJson() {
        stub.on("GET", "/v1/integrations/Garbled/global", Reply.json(200, "{not json"));

        assertThrows(HubCommunicationException.class, () -> client.getGlobal("Garbled"));
    }

    @Test
    void shouldNotStartTheCallersOwnBeansInItsContext() {
        stub.on("GET", "/v1/integrations/HaloPSA/global", Reply.json(200, VIEW));
        int before = EagerCallerBean.STARTED.get();

        try (IntegrationsHubClient another = IntegrationsHubClient.create(stub.url(), () -> "t")) {
            another.getGlobal("HaloPSA");
        }

        assertEquals(before, EagerCallerBean.STARTED.get(), "the caller's @Context bean was started");
    }

    @Test
    void shouldRefuseABaseUrlThatIsNotAbsolute() {
        assertThrows(IllegalArgumentException.class, () -> IntegrationsHubClient.create("localhost:8080/x", () -> "t"));
    }

    @Test
    void shouldReadTheOAuth1OrgViewAndNeverPrintItsSecrets() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Trello", Reply.json(200, """
                {"integration_id": "int-3", "name": "Trello", "entity_id": null, "entity_name": null,
                 "config": {"base_url": "https://api.trello.example", "webhook_secret": "whsec_1"},
                 "oauth": {"connection_name": "trello-oauth1", "client_id": "consumer-key",
                           "signature_method": "HMAC-SHA1", "access_token": "oauth-token-1",
                           "token_secret": "token-secret-1", "status": "active", "expires_at": null},
                 "version": 3}"""));
        stub.on("GET", "/v1/orgs/org-123/integrations/HaloPSA", Reply.json(200, VIEW));

        IntegrationData view = client.get("Trello", "org-1");
        IntegrationData oauth2 = client.get("HaloPSA", "org-123");

        OAuthData oauth = view.oauthData().orElseThrow();
        assertEquals(
                new OAuthData(
                        "trello-oauth1",
                        "consumer-key",
                        null,
                        null,
                        null,
                        List.of(),
                        "oauth-token-1",
                        null,
                        null,
                        OAuthData.ACTIVE,
                        "HMAC-SHA1",
                        "token-secret-1"),
                oauth);
        assertTrue(oauth.isOAuth1());
        assertFalse(oauth2.oauth().isOAuth1(), "an OAuth 2.0 connection names no signature method");
        assertNull(oauth2.oauth().tokenSecret());
        for (String printed : List.of(view.toString(), oauth.toString(), oauth2.toString())) {
            for (String secret : List.of("oauth-token-1", "token-secret-1", "whsec_1", "csecret", "=at,", "=rt,")) {
                assertFalse(printed.contains(secret), secret + " printed in " + printed);
            }
        }
        assertTrue(oauth.toString().contains("HMAC-SHA1"), oauth.toString());
        assertTrue(view.toString().contains("webhook_secret"), "names the config keys: " + view);
    }

    @Test
    void shouldReadOAuth1CredentialsWithTypedAccessorsAndNeverPrintTheirValues() {
        stub.on("GET", "/v1/orgs/org-1/integrations/Trello/credentials", Reply.json(200, """
                {"oauth_token": "oauth-token-1", "oauth_token_secret": "token-secret-1",
                 "consumer_key": "consumer-key", "signature_method": "HMAC-SHA256"}"""));

        Credentials oauth1 = client.credentials("Trello", "org-1");

        assertEquals(Optional.of("oauth-token-1"), oauth1.oauthToken());
        assertEquals(Optional.of("token-secret-1"), oauth1.oauthTokenSecret());
        assertEquals(Optional.of("consumer-key"), oauth1.consumerKey());
        assertEquals(Optional.of("HMAC-SHA256"), oauth1.signatureMethod());
        assertEquals(Optional.empty(), oauth1.accessToken(), "an OAuth 1.0a token is oauth_token");
        assertEquals(Optional.empty(), oauth1.expiresAt());
        assertFalse(oauth1.toString().contains("token-secret-1"), oauth1.toString());
        assertFalse(oauth1.toString().contains("oauth-token-1"), oauth1.toString());
        assertTrue(oauth1.toString().contains("oauth_token_secret"), "names the members: " + oauth1);
    }

    @Test
    void shouldSignARequestWithItsFormAStringPerKeyAndAListForARepeatedOne() throws Exception {
        String authorization = "OAuth oauth_consumer_key=\"consumer-key\", oauth_nonce=\"n1\", "
                + "oauth_signature=\"c2lnbmF0dXJl%3D\", oauth_signature_method=\"HMAC-SHA1\", "
                + "oauth_timestamp=\"1764624000\", oauth_token=\"oauth-token-1\", oauth_version=\"1.0\"";
        stub.on(
                "POST",
                "/v1/orgs/org-1/integrations/Trello/sign",
                Reply.json(200, "{\"Authorization\": \"" + authorization.replace("\"", "\\\"") + "\"}"));
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("status", "hi");
        form.put("tag", List.of("a", "b"));
        form.put("single", List.of("x"));
        form.put("none", List.of());

        OAuth1Signature signature = client.sign("Trello", "org-1", "POST", "https://api.x/1/a?b=c", form);
        StubHub.Request sent = stub.last();
        OAuth1Signature async = client.signAsync("Trello", "org-1", "POST", "https://api.x/1/a?b=c", form)
                .get(5, TimeUnit.SECONDS);

        assertEquals("POST /v1/orgs/org-1/integrations/Trello/sign", sent.method() + " " + sent.target());
        assertEquals("Bearer token-1", sent.header("Authorization"));
        assertTrue(sent.header("Content-Type").startsWith("application/json"), sent.header("Content-Type"));
        assertNull(sent.header("Idempotency-Key"), "signing changes nothing: no idempotency key");
        assertEquals(
                "{\"method\":\"POST\",\"url\":\"https://api.x/1/a?b=c\","
                        + "\"form\":{\"status\":\"hi\",\"tag\":[\"a\",\"b\"],\"single\":\"x\"}}",
                sent.body());
        assertEquals(Optional.of(authorization), signature.authorization());
        assertEquals(Optional.of(authorization), signature.header("authorization"));
        assertEquals(signature, async);
        assertFalse(signature.toString().contains("c2lnbmF0dXJl"), signature.toString());
        assertEquals("OAuth1Signature[Authorization]", signature.toString());
    }

    @Test
    void shouldSignAGetWithoutAFormAndLeaveTheFormOut() {
        stub.on(
                "POST",
                "/v1/orgs/org-1/integrations/Trello/sign",
                Reply.json(200, "{\"Authorization\": \"OAuth oauth_signature=\\\"s\\\"\"}"));

        OAuth1Signature signature =
                client.sign("Trello", "org-1", "GET", "https://api.x/1/members/me?fields=id&fields=name");

        assertEquals(
                "{\"method\":\"GET\",\"url\":\"https://api.x/1/members/me?fields=id&fields=name\"}",
                stub.last().body());
        assertEquals(Optional.of("OAuth oauth_signature=\"s\""), signature.authorization());
    }

    @Test
    void shouldRefuseAFormValueThatIsNotTextBeforeSendingAnything() {
        int before = stub.requests().size();

        assertThrows(
                IllegalArgumentException.class,
                () -> client.sign("Trello", "org-1", "POST", "https://api.x/1/a", Map.of("n", 1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> client.sign("Trello", "org-1", "POST", "https://api.x/1/a", Map.of("n", List.of("a", 2))));

        assertEquals(before, stub.requests().size(), "nothing was sent");
    }

    @Test
    void shouldThrowTheSignProblemsAsTheirExceptionsAlsoAsync() {
        stub.on("POST", "/v1/orgs/org-1/integrations/Unconnected/sign", Reply.problem(409, """
                {"type": "https://integrations-hub.dev/problems/not-authorized", "title": "Conflict", "status": 409,
                 "detail": "no OAuth 1.0a token yet: connect first"}"""));
        stub.on("POST", "/v1/orgs/org-1/integrations/Plaintext/sign", Reply.problem(403, """
                {"type": "https://integrations-hub.dev/problems/forbidden", "title": "Forbidden", "status": 403,
                 "detail": "PLAINTEXT signatures are for admin tokens: use the proxy"}"""));
        stub.on("POST", "/v1/orgs/org-1/integrations/Bad/sign", Reply.problem(422, """
                {"type": "https://integrations-hub.dev/problems/validation-failed", "title": "Unprocessable Content",
                 "status": 422, "errors": [{"field": "url", "message": "must be an absolute http(s) URL"}]}"""));
        stub.on("POST", "/v1/orgs/org-1/integrations/Gone/sign", Reply.problem(404, """
                {"type": "https://integrations-hub.dev/problems/not-found", "title": "Not Found", "status": 404}"""));

        NotAuthorizedException unconnected = assertThrows(
                NotAuthorizedException.class, () -> client.sign("Unconnected", "org-1", "GET", "https://api.x/"));
        assertThrows(ForbiddenException.class, () -> client.sign("Plaintext", "org-1", "GET", "https://api.x/"));
        ValidationException bad =
                assertThrows(ValidationException.class, () -> client.sign("Bad", "org-1", "GET", "relative"));
        ExecutionException gone = assertThrows(
                ExecutionException.class,
                () -> client.signAsync("Gone", "org-1", "GET", "https://api.x/").get(5, TimeUnit.SECONDS));

        assertEquals(Optional.empty(), unconnected.authorizeUrl());
        assertEquals(List.of(new FieldError("url", "must be an absolute http(s) URL")), bad.errors());
        assertInstanceOf(NotFoundException.class, gone.getCause());
    }

    @Test
    void shouldThrowCommunicationExceptionForASignatureWithoutAuthorization() {
        stub.on("POST", "/v1/orgs/org-1/integrations/Empty/sign", Reply.json(200, "{}"));

        assertThrows(HubCommunicationException.class, () -> client.sign("Empty", "org-1", "GET", "https://api.x/"));
    }
}
