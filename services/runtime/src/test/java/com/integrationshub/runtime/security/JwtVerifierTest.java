package com.integrationshub.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.testkit.MovableClock;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token rules of API.md, Conventions, against a fixed clock. */
class JwtVerifierTest {

    private static final String SECRET = "unit-test-secret-for-hs256-0123456789-abcdef";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final JwtVerifier open = verifier(null, null);

    @Test
    void shouldAcceptAnAdminTokenWithExpWithinTheMaximumLifetime() {
        Optional<VerifiedToken> caller =
                open.verify(admin(b -> b.issueTime(at(-60)).expirationTime(at(3600))));
        assertEquals(Optional.of(new VerifiedToken("admin-1", true, Optional.empty())), caller);
    }

    @Test
    void shouldAcceptAnOrgTokenAndReadItsOrg() {
        Optional<VerifiedToken> caller = open.verify(sign(new JWTClaimsSet.Builder()
                .subject("u")
                .claim("org_id", "org-a")
                .expirationTime(at(3600))
                .build()));
        assertEquals(Optional.of(new VerifiedToken("u", false, Optional.of("org-a"))), caller);
    }

    @Test
    void shouldRefuseATokenWithoutExp() {
        assertTrue(open.verify(admin(b -> b.issueTime(at(0)))).isEmpty(), "a token without exp");
    }

    @Test
    void shouldRefuseAnExpiredTokenOnceTheSkewHasPassed() {
        assertTrue(open.verify(admin(b -> b.expirationTime(at(-31)))).isEmpty(), "expired 31 s ago, skew 30 s");
        assertTrue(
                open.verify(admin(b -> b.expirationTime(at(-10)))).isPresent(), "expired 10 s ago is within the skew");
    }

    @Test
    void shouldRefuseALifetimeOverTheMaximumCountedFromIat() {
        assertTrue(
                open.verify(admin(b -> b.issueTime(at(-3600)).expirationTime(at(86_400))))
                        .isEmpty(),
                "exp - iat = 25 h over a maximum of 24 h");
        assertTrue(
                open.verify(admin(b -> b.issueTime(at(-3600)).expirationTime(at(82_800))))
                        .isPresent(),
                "exp - iat = 24 h exactly is allowed");
    }

    @Test
    void shouldRefuseALifetimeOverTheMaximumCountedFromNowWithoutIat() {
        assertTrue(open.verify(admin(b -> b.expirationTime(at(86_401)))).isEmpty(), "exp - now over 24 h");
        assertTrue(open.verify(admin(b -> b.expirationTime(at(86_400)))).isPresent(), "exp - now = 24 h");
    }

    @Test
    void shouldRefuseIatOrNbfInTheFutureBeyondTheSkew() {
        assertTrue(
                open.verify(admin(b -> b.issueTime(at(365L * 86_400)).expirationTime(at(365L * 86_400 + 60))))
                        .isEmpty(),
                "iat a year ahead");
        assertTrue(
                open.verify(admin(b -> b.issueTime(at(31)).expirationTime(at(3600))))
                        .isEmpty(),
                "iat 31 s ahead");
        assertTrue(
                open.verify(admin(b -> b.issueTime(at(20)).expirationTime(at(3600))))
                        .isPresent(),
                "iat 20 s ahead");
        assertTrue(
                open.verify(admin(b -> b.notBeforeTime(at(31)).expirationTime(at(3600))))
                        .isEmpty(),
                "nbf 31 s ahead");
        assertTrue(
                open.verify(admin(b -> b.notBeforeTime(at(20)).expirationTime(at(3600))))
                        .isPresent(),
                "nbf 20 s ahead");
    }

    @Test
    void shouldCheckIssuerAndAudienceWhenConfigured() {
        JwtVerifier strict = verifier("https://idp.example", "integrations-hub");
        assertTrue(
                strict.verify(admin(b -> b.issuer("https://idp.example")
                                .audience("integrations-hub")
                                .expirationTime(at(3600))))
                        .isPresent(),
                "the configured iss and aud");
        assertTrue(
                strict.verify(admin(b -> b.issuer("https://idp.example")
                                .audience(List.of("other", "integrations-hub"))
                                .expirationTime(at(3600))))
                        .isPresent(),
                "aud naming the configured audience among others");
        assertTrue(
                strict.verify(admin(b -> b.issuer("https://evil.example")
                                .audience("integrations-hub")
                                .expirationTime(at(3600))))
                        .isEmpty(),
                "a foreign iss");
        assertTrue(
                strict.verify(admin(b -> b.issuer("https://idp.example")
                                .audience("another-service")
                                .expirationTime(at(3600))))
                        .isEmpty(),
                "a foreign aud");
        assertTrue(strict.verify(admin(b -> b.expirationTime(at(3600)))).isEmpty(), "neither iss nor aud");
    }

    @Test
    void shouldIgnoreIssuerAndAudienceWhenNotConfigured() {
        assertTrue(
                open.verify(admin(b -> b.issuer("anyone").audience("anything").expirationTime(at(3600))))
                        .isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%6Frg-b", "org/b", "org b", "", "../org-b", "org-b\n"})
    void shouldRefuseAnOrgIdThatIsNotAValidName(String orgId) {
        assertTrue(
                open.verify(sign(new JWTClaimsSet.Builder()
                                .subject("u")
                                .claim("org_id", orgId)
                                .expirationTime(at(3600))
                                .build()))
                        .isEmpty(),
                "org_id '" + orgId + "'");
    }

    @Test
    void shouldRefuseAnOrgIdThatIsNotAString() {
        assertTrue(open.verify(sign(new JWTClaimsSet.Builder()
                        .subject("u")
                        .claim("org_id", List.of("org-a"))
                        .expirationTime(at(3600))
                        .build()))
                .isEmpty());
    }

    @Test
    void shouldAcceptTheInternalTokenOnlyAsInternal() {
        String internal = sign(new JWTClaimsSet.Builder()
                .subject("query-service")
                .audience(JwtVerifier.INTERNAL_AUDIENCE)
                .claim("roles", List.of("admin"))
                .issueTime(at(0))
                .expirationTime(at(300))
                .build());
        assertTrue(open.verify(internal).isEmpty(), "an internal token is no public caller, even with roles admin");
        assertTrue(open.verifyInternal(internal), "it is an internal token");
        assertFalse(open.verifyInternal(admin(b -> b.expirationTime(at(3600)))), "an admin token is no internal token");
    }

    @Test
    void shouldRefuseAnExpiredOrOverlongInternalToken() {
        assertFalse(
                open.verifyInternal(sign(new JWTClaimsSet.Builder()
                        .subject("query-service")
                        .audience(JwtVerifier.INTERNAL_AUDIENCE)
                        .expirationTime(at(-60))
                        .build())),
                "expired");
        assertFalse(
                open.verifyInternal(sign(new JWTClaimsSet.Builder()
                        .subject("query-service")
                        .audience(JwtVerifier.INTERNAL_AUDIENCE)
                        .expirationTime(at(90_000))
                        .build())),
                "over the maximum lifetime");
    }

    @Test
    void shouldRefuseAnotherSecretsSignature() throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject("admin-1")
                        .claim("roles", List.of("admin"))
                        .expirationTime(at(3600))
                        .build());
        jwt.sign(new MACSigner("another-secret-that-is-long-enough-0123456789".getBytes(StandardCharsets.UTF_8)));
        assertTrue(open.verify(jwt.serialize()).isEmpty());
    }

    @Test
    void shouldRefuseAShortSecretAtStart() {
        assertThrows(
                IllegalStateException.class,
                () -> new JwtVerifier(
                        new SecuritySettings("short", Duration.ofHours(24), Duration.ofSeconds(30), null, null, 0),
                        CLOCK));
    }

    @Test
    void shouldReadOnlyBearerAuthorizations() {
        assertEquals(Optional.of("abc"), JwtVerifier.bearer("Bearer abc"));
        assertEquals(Optional.of("abc"), JwtVerifier.bearer("bearer  abc "));
        assertEquals(Optional.empty(), JwtVerifier.bearer("Basic YWJj"));
        assertEquals(Optional.empty(), JwtVerifier.bearer("Bearer "));
        assertEquals(Optional.empty(), JwtVerifier.bearer(null));
    }

    @Test
    void shouldRefuseARememberedTokenOnceItHasExpired() {
        MovableClock clock = new MovableClock(NOW);
        JwtVerifier remembering = remembering(clock);
        String token = admin(b -> b.issueTime(at(0)).expirationTime(at(60)));
        assertTrue(remembering.verify(token).isPresent());
        clock.set(NOW.plusSeconds(60 + 29));
        assertTrue(remembering.verify(token).isPresent(), "within the skew after exp");
        clock.set(NOW.plusSeconds(60 + 31));
        assertTrue(remembering.verify(token).isEmpty(), "a remembered token is refused once exp and the skew passed");
    }

    @Test
    void shouldApplyEveryRuleToARememberedToken() {
        JwtVerifier remembering = remembering(new MovableClock(NOW));
        String bearer = admin(b -> b.expirationTime(at(3600)));
        String internal = sign(new JWTClaimsSet.Builder()
                .subject("instance-1")
                .audience(JwtVerifier.INTERNAL_AUDIENCE)
                .expirationTime(at(3600))
                .build());
        for (int shown = 0; shown < 3; shown++) {
            assertTrue(remembering.verify(bearer).isPresent());
            assertFalse(remembering.verifyInternal(bearer), "a bearer token is no internal one, remembered or not");
            assertTrue(remembering.verifyInternal(internal));
            assertTrue(remembering.verify(internal).isEmpty(), "an internal token is no bearer, remembered or not");
        }
    }

    @Test
    void shouldRefuseATamperedCopyOfARememberedToken() {
        JwtVerifier remembering = remembering(new MovableClock(NOW));
        String token = admin(b -> b.expirationTime(at(3600)));
        assertTrue(remembering.verify(token).isPresent());
        int at = token.length() - 5; // inside the signature, clear of the last character's unused bits
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertTrue(remembering.verify(tampered).isEmpty(), "another signature is checked, not looked up");
        assertTrue(remembering.verify(token).isPresent());
    }

    @Test
    void shouldAcceptATokenOnceItsNotBeforeHasComeThoughItWasRefusedBefore() {
        MovableClock clock = new MovableClock(NOW);
        JwtVerifier remembering = remembering(clock);
        String token = admin(b -> b.notBeforeTime(at(120)).expirationTime(at(3600)));
        assertTrue(remembering.verify(token).isEmpty(), "nbf 120 s ahead, skew 30 s");
        clock.set(NOW.plusSeconds(100));
        assertTrue(remembering.verify(token).isPresent());
    }

    @Test
    void shouldRefuseANegativeNumberOfRememberedTokensAtStart() {
        assertThrows(
                IllegalStateException.class,
                () -> new JwtVerifier(
                        new SecuritySettings(SECRET, Duration.ofHours(24), Duration.ofSeconds(30), null, null, -1),
                        CLOCK));
    }

    private static JwtVerifier verifier(String issuer, String audience) {
        return new AskedTwice(
                new SecuritySettings(SECRET, Duration.ofHours(24), Duration.ofSeconds(30), issuer, audience, 100));
    }

    /**
     * Every rule above is checked through the remembered verdicts too: each question is asked twice of a verifier
     * that remembers, the second answered from what the first remembered, and both answers must agree.
     */
    private static final class AskedTwice extends JwtVerifier {
        AskedTwice(SecuritySettings settings) {
            super(settings, CLOCK);
        }

        @Override
        public Optional<VerifiedToken> verify(String token) {
            Optional<VerifiedToken> first = super.verify(token);
            assertEquals(first, super.verify(token), "the same token answered again");
            return first;
        }

        @Override
        public boolean verifyInternal(String token) {
            boolean first = super.verifyInternal(token);
            assertEquals(first, super.verifyInternal(token), "the same token answered again");
            return first;
        }
    }

    private static JwtVerifier remembering(Clock clock) {
        return new JwtVerifier(
                new SecuritySettings(SECRET, Duration.ofHours(24), Duration.ofSeconds(30), null, null, 100), clock);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    private static String admin(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return sign(claims.apply(new JWTClaimsSet.Builder().subject("admin-1").claim("roles", List.of("admin")))
                .build());
    }

    private static String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
