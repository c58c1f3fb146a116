package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.ConnectionSpec;
import com.integrationshub.refresher.support.RefresherInstance;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.TokenCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshScheduleIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    /** Clock granularity between this JVM's clock readings and the stand-in's. */
    private static final Duration TICK = Duration.ofMillis(50);

    private final Scenario s = Scenario.start();

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void shouldRefreshATenSecondTokenBeforeItExpiresWithNoMoreCallsThanTheLifetimeRuleAllows() {
        s.provider.setExpiresIn(Duration.ofSeconds(10));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.startRefresher();

        Await.until(
                WAIT,
                () -> s.provider.callTimes(grant.family()).size() >= 2,
                "two refreshes of " + tokenId,
                () -> s.provider.callTimes(grant.family()));

        Instant now = Instant.now();
        List<Instant> calls = s.provider.callTimes(grant.family());
        Duration half = Duration.ofSeconds(5);
        Instant first = calls.get(0);
        assertTrue(
                first.isBefore(grant.expiresAt()),
                "refreshed before it expired at " + grant.expiresAt() + ": " + first);
        assertTrue(
                !first.isBefore(grant.issuedAt().plus(half).minus(TICK)),
                "not refreshed before half its lifetime (issued " + grant.issuedAt() + "): " + first);
        for (int i = 1; i < calls.size(); i++) {
            Duration gap = Duration.between(calls.get(i - 1), calls.get(i));
            assertTrue(gap.compareTo(half.minus(TICK)) >= 0, "at most one refresh per half lifetime; gaps of " + calls);
        }
        long allowed = Duration.between(grant.issuedAt(), now).toMillis() / half.toMillis();
        assertTrue(
                calls.size() <= allowed,
                calls.size() + " calls in " + Duration.between(grant.issuedAt(), now)
                        + " where the lifetime rule allows " + allowed);
        RecordTokenRefresh firstRefresh =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertTrue(
                calls.get(1).isBefore(firstRefresh.getExpiresAt()),
                "the refreshed token was refreshed again before it expired");
    }

    @Test
    void shouldKeepTheOldRefreshTokenWhenTheProviderReturnsNone() {
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.provider.setOmitRefreshToken(true);
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.startRefresher();

        Await.until(
                WAIT,
                () -> s.hub.commands(RecordTokenRefresh.class, tokenId).size() >= 2,
                "two refreshes of " + tokenId,
                s.hub::summary);

        List<RecordTokenRefresh> refreshes = s.hub.commands(RecordTokenRefresh.class, tokenId);
        assertNull(refreshes.get(0).getRefreshToken(), "no refresh token in the command when the provider sent none");
        List<String> used =
                s.provider.calls().stream().map(TokenCall::refreshToken).toList();
        assertEquals(
                List.of(grant.refreshToken(), grant.refreshToken()),
                used.subList(0, 2),
                "the next refresh uses the old refresh token");
        assertTrue(s.provider.calls().stream().allMatch(TokenCall::succeeded), "the old token keeps working");
        assertEquals(List.of(), s.provider.reusedRefreshTokens());
    }

    @Test
    void shouldRefreshAtOnceWhenAskedAndAnswerWithTheRequestId() {
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        RefresherInstance refresher = s.startRefresher();
        Await.until(WAIT, () -> refresher.stats().scheduled() == 1, "the token to be scheduled", refresher::stats);

        String requestId = s.hub.requestRefresh("halo", "org-1");

        Await.until(
                WAIT,
                () -> s.hub.commands(RecordTokenRefresh.class, tokenId).size() == 1,
                "the requested refresh",
                s.hub::summary);
        RecordTokenRefresh refresh =
                s.hub.commands(RecordTokenRefresh.class, tokenId).get(0);
        assertEquals(requestId, refresh.getRequestId());
        assertEquals(1L, refresh.getExpectedVersion());
        assertEquals(1, s.provider.tokenCalls(), "one provider call for one request, an hour before expiry");
    }

    @Test
    void shouldCallTheTokenUrlOfTheTokensEntityWithFormClientAuthentication() {
        s.provider.registerClient("form-app", "form-secret", ClientAuth.POST);
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(ConnectionSpec.authorizationCode(
                        "ms", "form-app", "form-secret", s.provider.url("/{entity_id}/oauth2/v2.0/token"))
                .withClientAuth(ClientAuthMethod.CLIENT_SECRET_POST));
        String a = s.hub.issue("ms", "org-a", "tenant-a", s.provider.mint("form-app", "read"));
        String b = s.hub.issue("ms", "org-b", "tenant b", s.provider.mint("form-app", "read"));
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefresh.class, a).isEmpty()
                        && !s.hub.commands(RecordTokenRefresh.class, b).isEmpty(),
                "a refresh of each tenant's token",
                s.hub::summary);

        List<String> paths = s.provider.calls().stream()
                .map(TokenCall::path)
                .distinct()
                .sorted()
                .toList();
        assertEquals(
                List.of("/tenant b/oauth2/v2.0/token", "/tenant-a/oauth2/v2.0/token"),
                paths,
                "each token's entity id, path-encoded, in place of {entity_id} (the stand-in records decoded paths)");
        assertTrue(
                s.provider.calls().stream().allMatch(TokenCall::succeeded),
                "client_id and client_secret in the form: " + s.provider.calls());
    }

    @Test
    void shouldReportHealthUpWithBrokerAndRegistryAndTheScheduleAtRefresher() throws Exception {
        s.hub.createConnection(s.connection("halo"));
        s.hub.issue("halo", "org-1", null, s.provider.mint(Scenario.CLIENT, "read"));
        RefresherInstance refresher = s.startRefresher();
        Await.until(WAIT, () -> refresher.stats().scheduled() == 1, "the token to be scheduled", refresher::stats);
        HttpClient http = HttpClient.newHttpClient();

        String admin = "Bearer " + TestTokens.admin();
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(refresher.url() + "/health"))
                        .GET()
                        .header("Authorization", admin)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> schedule = http.send(
                HttpRequest.newBuilder(URI.create(refresher.url() + "/refresher"))
                        .header("Authorization", admin)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"kafka\"") && health.body().contains("\"schema-registry\""), health.body());
        assertEquals(200, schedule.statusCode(), schedule.body());
        assertTrue(
                schedule.body().contains("\"tokens\":1")
                        && schedule.body().contains("\"scheduled\":1")
                        && schedule.body().contains("\"livePartitions\":3"),
                schedule.body());
    }

    @Test
    void shouldAnswerHealthWithoutDetailsAndNoOtherManagementEndpointWithoutAnAdminToken() throws Exception {
        RefresherInstance refresher = s.startRefresher();
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> health = get(http, refresher.url() + "/health", null);
        for (long deadline = System.nanoTime() + WAIT.toNanos();
                health.statusCode() != 200 && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            health = get(http, refresher.url() + "/health", null);
        }
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        assertFalse(
                health.body().contains("details") || health.body().contains("kafka"),
                "no details without a token: " + health.body());
        HttpResponse<String> orgHealth = get(http, refresher.url() + "/health", "Bearer " + TestTokens.org("org-1"));
        assertFalse(orgHealth.body().contains("details"), "no details for an org token: " + orgHealth.body());

        List<String> answered = new ArrayList<>();
        for (String path :
                List.of("/refresher", "/beans", "/threaddump", "/routes", "/refresh", "/loggers", "/env", "/info")) {
            for (String token :
                    java.util.Arrays.asList(null, "Bearer " + TestTokens.org("org-1"), "Bearer not-a-jwt")) {
                HttpResponse<String> got = get(http, refresher.url() + path, token);
                int expected = token != null && token.contains(".") ? 403 : 401;
                if (got.statusCode() != expected)
                    answered.add("GET " + path + " with " + token + ": " + got.statusCode());
            }
            HttpResponse<String> posted = http.send(
                    HttpRequest.newBuilder(URI.create(refresher.url() + path))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (posted.statusCode() != 401) answered.add("POST " + path + " without a token: " + posted.statusCode());
        }
        assertEquals(List.of(), answered, "management endpoints without an admin token");
        assertEquals(
                200,
                get(http, refresher.url() + "/beans", "Bearer " + TestTokens.admin())
                        .statusCode(),
                "/beans for an admin");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
