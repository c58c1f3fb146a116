package com.integrationshub.testkit.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The grant rules without HTTP: rotation, reuse and codes, decided in memory. */
class GrantRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private final GrantRules rules = new GrantRules();

    GrantRulesTest() {
        rules.register(new RegisteredClient("app", "secret", ClientAuth.POST, Set.of(REDIRECT)));
    }

    @Test
    void shouldRotateARefreshTokenAndRevokeItsFamilyWhenTheUsedOneComesBack() {
        MintedGrant minted = rules.mint("app", "read", NOW);

        TokenAnswer first = rules.token(NOW, refresh(minted.refreshToken()), null);
        assertEquals(200, first.status());
        String rotated = (String) first.body().get("refresh_token");
        assertNotEquals(minted.refreshToken(), rotated);
        assertEquals(rotated, rules.families().currentRefreshToken(minted.family()));

        TokenAnswer reuse = rules.token(NOW, refresh(minted.refreshToken()), null);
        assertEquals(400, reuse.status());
        assertEquals("invalid_grant", reuse.error());
        assertEquals(minted.refreshToken(), reuse.reusedRefreshToken());
        assertEquals(minted.family(), reuse.family());
        assertNull(rules.families().currentRefreshToken(minted.family()), "the rotated token is revoked too");
        assertFalse(rules.families().accessTokenValid((String) first.body().get("access_token"), NOW));
    }

    @Test
    void shouldExchangeACodeOnceAndRevokeWhatItIssuedWhenItComesBack() {
        AuthorizeAnswer authorized = rules.authorize(
                Map.of(
                        "client_id",
                        "app",
                        "redirect_uri",
                        REDIRECT,
                        "response_type",
                        "code",
                        "state",
                        "s",
                        "code_challenge",
                        GrantRules.s256(VERIFIER),
                        "code_challenge_method",
                        "S256"),
                NOW);
        String url = ((AuthorizeAnswer.Redirect) authorized).url();
        String code = url.substring(url.indexOf("code=") + 5, url.indexOf("&state="));
        Map<String, String> exchange = form(
                "grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER);

        TokenAnswer first = rules.token(NOW, exchange, null);
        assertEquals(200, first.status());
        assertEquals(VERIFIER, first.presentedVerifier());
        assertEquals("app", first.clientId());
        TokenAnswer second = rules.token(NOW, exchange, null);

        assertEquals("invalid_grant", second.error());
        assertFalse(rules.families().accessTokenValid((String) first.body().get("access_token"), NOW));
    }

    @Test
    void shouldRefuseAnUnregisteredRedirectUriWithoutRedirecting() {
        AuthorizeAnswer answer = rules.authorize(
                Map.of(
                        "client_id",
                        "app",
                        "redirect_uri",
                        "http://evil.example/cb",
                        "response_type",
                        "code",
                        "state",
                        "s"),
                NOW);

        assertTrue(answer instanceof AuthorizeAnswer.Refusal, answer.toString());
    }

    private static Map<String, String> refresh(String refreshToken) {
        return form("grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    private static Map<String, String> form(String... nameValues) {
        Map<String, String> form = new HashMap<>(Map.of("client_id", "app", "client_secret", "secret"));
        for (int i = 0; i < nameValues.length; i += 2) form.put(nameValues[i], nameValues[i + 1]);
        return form;
    }
}
