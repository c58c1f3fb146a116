package com.integrationshub.testkit.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.testkit.MovableClock;
import com.integrationshub.testkit.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthProviderStandInTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private OAuthProviderStandIn provider;

    @BeforeEach
    void start() {
        provider = OAuthProviderStandIn.start(clock);
        provider.registerClient("basic-app", "basic-secret", ClientAuth.BASIC, REDIRECT);
        provider.registerClient("post-app", "post-secret", ClientAuth.POST, REDIRECT);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    // ------------------------------------------------------------------------------------------ authorize

    @Test
    void shouldRedirectWithCodeAndTheSameStateOverHttp() throws Exception {
        HttpResponse<String> response = get(provider.authorizationUrl() + "?" + query(authorizeQuery("basic-app")));

        assertEquals(302, response.statusCode());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(REDIRECT + "?"), "redirects to the registered URI, got " + location);
        Map<String, String> params = params(location);
        assertEquals("xyz-state", params.get("state"));
        assertNotNull(params.get("code"), "a code in " + location);
    }

    @Test
    void shouldComputeTheS256ChallengeAsBase64UrlOfSha256() {
        // expected value computed independently: base64.urlsafe_b64encode(hashlib.sha256(verifier)).rstrip('=')
        assertEquals("ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc", OAuthProviderStandIn.s256(VERIFIER));
    }

    @Test
    void shouldRedirectAnErrorWhenTheChallengeIsNotS256() {
        Map<String, String> query = authorizeQuery("basic-app");
        query.put("code_challenge_method", "plain");

        Map<String, String> params = params(provider.authorize(query));

        assertEquals("invalid_request", params.get("error"));
        assertEquals("xyz-state", params.get("state"));
        assertNull(params.get("code"));
    }

    @Test
    void shouldRedirectAnErrorWithoutStateOrWithAnotherResponseType() {
        Map<String, String> noState = authorizeQuery("basic-app");
        noState.remove("state");
        Map<String, String> token = authorizeQuery("basic-app");
        token.put("response_type", "token");

        assertEquals("invalid_request", params(provider.authorize(noState)).get("error"));
        assertEquals(
                "unsupported_response_type", params(provider.authorize(token)).get("error"));
    }

    @Test
    void shouldNotRedirectToAnUnregisteredRedirectUriOrForAnUnknownClient() throws Exception {
        Map<String, String> query = authorizeQuery("basic-app");
        query.put("redirect_uri", "http://evil.example/cb");

        assertEquals(400, get(provider.authorizationUrl() + "?" + query(query)).statusCode());
        assertThrows(IllegalArgumentException.class, () -> provider.authorize(query));
        assertThrows(IllegalArgumentException.class, () -> provider.authorize(authorizeQuery("nobody")));
    }

    // ------------------------------------------------------------------------------------------ code exchange

    @Test
    void shouldExchangeACodeOnceWithItsVerifier() throws Exception {
        String code = code("basic-app");

        HttpResponse<String> first = tokenCall(
                "/token",
                basic("basic-app", "basic-secret"),
                form(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        VERIFIER));
        JsonNode tokens = JSON.readTree(first.body());

        assertEquals(200, first.statusCode(), first.body());
        assertEquals("Bearer", tokens.get("token_type").asText());
        assertEquals(3600, tokens.get("expires_in").asLong());
        assertEquals("read", tokens.get("scope").asText());
        assertEquals("no-store", first.headers().firstValue("Cache-Control").orElse(null));
        String access = tokens.get("access_token").asText();
        assertTrue(provider.accessTokenValid(access));

        HttpResponse<String> again = tokenCall(
                "/token",
                basic("basic-app", "basic-secret"),
                form(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        VERIFIER));

        assertError(again, 400, "invalid_grant");
        assertFalse(provider.accessTokenValid(access), "a replayed code revokes the tokens issued from it");
    }

    @Test
    void shouldRefuseACodeWithAWrongVerifierOrRedirectUri() throws Exception {
        String code = code("basic-app");

        assertError(
                tokenCall(
                        "/token",
                        basic("basic-app", "basic-secret"),
                        form(
                                "grant_type",
                                "authorization_code",
                                "code",
                                code,
                                "redirect_uri",
                                REDIRECT,
                                "code_verifier",
                                "x".repeat(43))),
                400,
                "invalid_grant");
        assertError(
                tokenCall(
                        "/token",
                        basic("basic-app", "basic-secret"),
                        form(
                                "grant_type",
                                "authorization_code",
                                "code",
                                code,
                                "redirect_uri",
                                "http://127.0.0.1:9/other",
                                "code_verifier",
                                VERIFIER)),
                400,
                "invalid_grant");
        assertError(
                tokenCall(
                        "/token",
                        basic("basic-app", "basic-secret"),
                        form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT)),
                400,
                "invalid_request");
        assertEquals(
                200,
                tokenCall(
                                "/token",
                                basic("basic-app", "basic-secret"),
                                form(
                                        "grant_type",
                                        "authorization_code",
                                        "code",
                                        code,
                                        "redirect_uri",
                                        REDIRECT,
                                        "code_verifier",
                                        VERIFIER))
                        .statusCode(),
                "refused attempts do not use the code up");
    }

    @Test
    void shouldRefuseAnExpiredCode() throws Exception {
        String code = code("basic-app");
        clock.advance(Duration.ofMinutes(2));

        assertError(
                tokenCall(
                        "/token",
                        basic("basic-app", "basic-secret"),
                        form(
                                "grant_type",
                                "authorization_code",
                                "code",
                                code,
                                "redirect_uri",
                                REDIRECT,
                                "code_verifier",
                                VERIFIER)),
                400,
                "invalid_grant");
    }

    // ------------------------------------------------------------------------------------------ client auth

    @Test
    void shouldAuthenticateABasicClientOnlyByHttpBasic() throws Exception {
        assertEquals(
                200,
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "client_credentials"))
                        .statusCode());
        HttpResponse<String> byForm = tokenCall(
                "/token",
                null,
                form("grant_type", "client_credentials", "client_id", "basic-app", "client_secret", "basic-secret"));
        assertError(byForm, 401, "invalid_client");
        assertTrue(byForm.headers().firstValue("WWW-Authenticate").isPresent());
        assertError(
                tokenCall("/token", basic("basic-app", "wrong"), form("grant_type", "client_credentials")),
                401,
                "invalid_client");
    }

    @Test
    void shouldAuthenticateAPostClientOnlyByFormFields() throws Exception {
        assertEquals(
                200,
                tokenCall(
                                "/token",
                                null,
                                form(
                                        "grant_type",
                                        "client_credentials",
                                        "client_id",
                                        "post-app",
                                        "client_secret",
                                        "post-secret"))
                        .statusCode());
        assertError(
                tokenCall("/token", basic("post-app", "post-secret"), form("grant_type", "client_credentials")),
                401,
                "invalid_client");
        assertError(
                tokenCall(
                        "/token",
                        basic("post-app", "post-secret"),
                        form("grant_type", "client_credentials", "client_secret", "post-secret")),
                400,
                "invalid_request");
    }

    // ------------------------------------------------------------------------------------------ refresh

    @Test
    void shouldRotateRefreshTokensAndRecordAReusedOne() throws Exception {
        MintedGrant grant = provider.mint("basic-app", "read");

        JsonNode first = JSON.readTree(refresh(grant.refreshToken()).body());
        String second = first.get("refresh_token").asText();
        JsonNode next = JSON.readTree(refresh(second).body());

        assertNotEquals(grant.refreshToken(), second);
        assertNotNull(next.get("refresh_token"));
        assertEquals(List.of(), provider.reusedRefreshTokens());

        HttpResponse<String> reuse = refresh(grant.refreshToken());

        assertError(reuse, 400, "invalid_grant");
        assertEquals(List.of(grant.refreshToken()), provider.reusedRefreshTokens());
        assertEquals(2, provider.callsWithRefreshToken(grant.refreshToken()));
        assertNull(provider.currentRefreshToken(grant.family()), "reuse revokes the family");
        assertFalse(provider.accessTokenValid(next.get("access_token").asText()));
        assertError(refresh(next.get("refresh_token").asText()), 400, "invalid_grant");
        assertEquals(4, provider.callTimes(grant.family()).size());
        assertEquals(grant.family(), provider.familyOf(second));
    }

    @Test
    void shouldCountATokenPresentedTwiceAndTheGrantItRevokedAndEndTheFamilysValidityThen() throws Exception {
        provider.setExpiresIn(Duration.ofSeconds(10));
        MintedGrant grant = provider.mint("basic-app", "read");
        MintedGrant untouched = provider.mint("basic-app", "read");
        clock.advance(Duration.ofSeconds(4));
        JsonNode next = JSON.readTree(refresh(grant.refreshToken()).body());
        clock.advance(Duration.ofSeconds(2));

        assertEquals(0, provider.refreshTokensPresentedTwice());
        assertEquals(0, provider.grantsRevoked());
        assertError(refresh(grant.refreshToken()), 400, "invalid_grant");
        assertError(refresh(grant.refreshToken()), 400, "invalid_grant");

        assertEquals(1, provider.refreshTokensPresentedTwice(), "one token, presented again twice");
        assertEquals(1, provider.grantsRevoked());
        AccessTokenValidity validity = provider.validity(grant.family());
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(
                List.of(
                        new AccessTokenValidity.Window(grant.accessToken(), start, start.plusSeconds(6)),
                        new AccessTokenValidity.Window(
                                next.get("access_token").asText(), start.plusSeconds(4), start.plusSeconds(6))),
                validity.windows(),
                "each token valid from its issue until the revocation");
        assertEquals(start.plusSeconds(6), validity.revokedAt());
        assertEquals(Duration.ofSeconds(4), validity.longestGap(start, start.plusSeconds(10)));
        assertEquals(Duration.ZERO, provider.validity(untouched.family()).longestGap(start, start.plusSeconds(10)));
        assertEquals(
                Duration.ofSeconds(2), provider.validity(untouched.family()).longestGap(start, start.plusSeconds(12)));
    }

    @Test
    void shouldRunTheHookOnlyOnceTheWholeAnswerWasSent() throws Exception {
        MintedGrant grant = provider.mint("basic-app", "read");
        List<SentAnswer> seen = new CopyOnWriteArrayList<>();
        provider.onAnswerSent(seen::add);

        HttpResponse<String> answer = refresh(grant.refreshToken());
        Poll.until(Duration.ofSeconds(5), seen::size, n -> n == 1, "the hook ran");
        assertError(refresh("rt_unknown"), 400, "invalid_grant");
        Poll.until(Duration.ofSeconds(5), seen::size, n -> n == 2, "the hook ran again");

        assertEquals(200, answer.statusCode());
        assertTrue(seen.get(0).isSuccessfulRefresh());
        assertEquals(grant.refreshToken(), seen.get(0).call().refreshToken());
        assertEquals(grant.family(), seen.get(0).call().family());
        assertFalse(seen.get(1).isSuccessfulRefresh());
        assertEquals(seen, provider.answersSent());
        provider.onAnswerSent(null);
        refresh(JSON.readTree(answer.body()).get("refresh_token").asText());
        Poll.until(Duration.ofSeconds(5), () -> provider.answersSent().size(), n -> n == 3, "the third answer sent");
        assertEquals(2, seen.size(), "no hook once removed");
    }

    @Test
    void shouldKeepTheRefreshTokenValidWhenOmittingIt() throws Exception {
        MintedGrant grant = provider.mint("basic-app", "read");
        provider.setOmitRefreshToken(true);

        JsonNode answer = JSON.readTree(refresh(grant.refreshToken()).body());

        assertNotNull(answer.get("access_token"));
        assertNull(answer.get("refresh_token"));
        assertEquals(200, refresh(grant.refreshToken()).statusCode(), "the old refresh token still works");
        assertEquals(List.of(), provider.reusedRefreshTokens());
    }

    @Test
    void shouldIssueClientCredentialsTokensWithoutRefreshToken() throws Exception {
        HttpResponse<String> response = tokenCall(
                "/token",
                basic("basic-app", "basic-secret"),
                form("grant_type", "client_credentials", "scope", "read write"));
        JsonNode tokens = JSON.readTree(response.body());

        assertEquals(200, response.statusCode());
        assertNull(tokens.get("refresh_token"));
        assertEquals("read write", tokens.get("scope").asText());
        assertEquals(1, provider.tokenCalls(OAuthProviderStandIn.CLIENT_CREDENTIALS));
        assertEquals(
                OAuthProviderStandIn.CLIENT_CREDENTIALS,
                provider.issuedAccessTokens().get(0).grantType());
    }

    @Test
    void shouldRefuseAnUnknownGrantAMissingGrantAWrongMethodAndRepeatedFields() throws Exception {
        assertError(
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "password")),
                400,
                "unsupported_grant_type");
        assertError(
                tokenCall("/token", basic("basic-app", "basic-secret"), form("scope", "read")), 400, "invalid_request");
        assertError(
                tokenCall(
                        "/token",
                        basic("basic-app", "basic-secret"),
                        "grant_type=client_credentials&grant_type=client_credentials"),
                400,
                "invalid_request");
        assertEquals(405, get(provider.tokenUrl()).statusCode());
    }

    // ------------------------------------------------------------------------------------------ expiry

    @Test
    void shouldIssueTheConfiguredLifetimeAndReportValidityOverTime() throws Exception {
        provider.setExpiresIn(Duration.ofSeconds(10));
        MintedGrant grant = provider.mint("basic-app", null);

        assertEquals(Duration.ofSeconds(10), grant.expiresIn());
        assertTrue(provider.accessTokenValid(grant.accessToken()));
        clock.advance(Duration.ofSeconds(10));
        assertFalse(provider.accessTokenValid(grant.accessToken()));
        assertFalse(provider.issuedAccessTokens().get(0).valid());

        provider.setExpiresIn(null);
        JsonNode endless = JSON.readTree(refresh(grant.refreshToken()).body());
        assertNull(endless.get("expires_in"));
        assertTrue(provider.accessTokenValid(endless.get("access_token").asText()));
    }

    // ------------------------------------------------------------------------------------------ faults

    @Test
    void shouldAnswerQueuedFaultsThenNormallyWithoutUsingTheRefreshTokenUp() throws Exception {
        MintedGrant grant = provider.mint("basic-app", "read");
        provider.failNext(2, Fault.serverError());

        assertError(refresh(grant.refreshToken()), 500, "server_error");
        assertError(refresh(grant.refreshToken()), 500, "server_error");
        assertEquals(200, refresh(grant.refreshToken()).statusCode());

        assertEquals(3, provider.callsWithRefreshToken(grant.refreshToken()));
        assertEquals(List.of(), provider.reusedRefreshTokens());
        assertEquals(
                List.of(500, 500, 200),
                provider.calls().stream().map(TokenCall::status).toList());
    }

    @Test
    void shouldAimAFamilyFaultAtThatFamilyOnly() throws Exception {
        MintedGrant target = provider.mint("basic-app", "read");
        MintedGrant other = provider.mint("basic-app", "read");
        provider.failNext(target.family(), 1, Fault.invalidGrant());

        assertEquals(200, refresh(other.refreshToken()).statusCode());
        assertError(refresh(target.refreshToken()), 400, "invalid_grant");
        assertEquals(200, refresh(target.refreshToken()).statusCode());
    }

    @Test
    void shouldAnswerEveryCallWithAStickyFaultUntilCleared() throws Exception {
        provider.failAlways(Fault.error(503, "temporarily_unavailable"));

        assertError(
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "client_credentials")),
                503,
                "temporarily_unavailable");
        assertError(
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "client_credentials")),
                503,
                "temporarily_unavailable");
        provider.clearFaults();
        assertEquals(
                200,
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "client_credentials"))
                        .statusCode());
    }

    @Test
    void shouldAnswerSlowlyWhenAskedTo() throws Exception {
        provider.failNext(1, Fault.slow(Duration.ofMillis(300)));

        long started = System.nanoTime();
        HttpResponse<String> response =
                tokenCall("/token", basic("basic-app", "basic-secret"), form("grant_type", "client_credentials"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, response.statusCode());
        assertTrue(tookMs >= 300, "a slow answer takes at least its delay; took " + tookMs + " ms");
    }

    // ------------------------------------------------------------------------------------------ paths

    @Test
    void shouldAnswerUnderAnyPathPrefixAndRecordThePaths() throws Exception {
        assertEquals(
                200,
                tokenCall(
                                "/tenant-42/oauth2/token",
                                basic("basic-app", "basic-secret"),
                                form("grant_type", "client_credentials"))
                        .statusCode());
        assertEquals(
                302,
                get(provider.url("/tenant-42/authorize") + "?" + query(authorizeQuery("basic-app")))
                        .statusCode());
        assertEquals(404, get(provider.url("/elsewhere")).statusCode());

        assertEquals(List.of("/tenant-42/oauth2/token", "/tenant-42/authorize", "/elsewhere"), provider.paths());
        assertEquals("/tenant-42/oauth2/token", provider.calls().get(0).path());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private String code(String clientId) {
        return params(provider.authorize(authorizeQuery(clientId))).get("code");
    }

    private static Map<String, String> authorizeQuery(String clientId) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", REDIRECT);
        query.put("scope", "read");
        query.put("state", "xyz-state");
        query.put("code_challenge", OAuthProviderStandIn.s256(VERIFIER));
        query.put("code_challenge_method", "S256");
        return query;
    }

    private HttpResponse<String> refresh(String refreshToken) throws IOException, InterruptedException {
        return tokenCall(
                "/token",
                basic("basic-app", "basic-secret"),
                form("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private HttpResponse<String> tokenCall(String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(provider.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws IOException {
        assertEquals(status, response.statusCode(), "status of " + response.body());
        assertEquals(error, JSON.readTree(response.body()).get("error").asText(), response.body());
    }

    private static String basic(String id, String secret) {
        String pair =
                URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String... nameValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) values.put(nameValues[i], nameValues[i + 1]);
        return query(values);
    }

    private static String query(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> params(String url) {
        String raw = URI.create(url).getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
