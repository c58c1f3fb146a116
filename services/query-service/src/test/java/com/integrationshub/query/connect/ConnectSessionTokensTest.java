package com.integrationshub.query.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.runtime.security.SecuritySettings;
import com.integrationshub.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Connect-session tokens without a broker: signed, expiring, and never interchangeable with API bearer tokens. */
class ConnectSessionTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final ConnectSessionTokens TOKENS =
            new ConnectSessionTokens(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldReadBackTheSessionItIssued() {
        var issued = TOKENS.issue(
                "org-1", List.of("HaloPSA", "Jira"), Optional.of("https://app.example/settings"), NOW.plusSeconds(60));

        var reading = TOKENS.read(issued.token(), NOW.plusSeconds(59));

        assertEquals(ConnectSessionTokens.Verdict.VALID, reading.verdict());
        assertEquals(Optional.of(issued.session()), reading.session());
        assertEquals(List.of("HaloPSA", "Jira"), reading.session().get().integrations());
    }

    @Test
    void shouldGiveEachSessionItsOwnRandomId() {
        var first = TOKENS.issue("org-1", List.of("A"), Optional.empty(), NOW.plusSeconds(60));
        var second = TOKENS.issue("org-1", List.of("A"), Optional.empty(), NOW.plusSeconds(60));
        assertNotEquals(first.session().id(), second.session().id());
        assertNotEquals(first.token(), second.token());
    }

    @Test
    void shouldCallATokenPastItsExpiryExpired() {
        var issued = TOKENS.issue("org-1", List.of("A"), Optional.empty(), NOW.plusSeconds(60));
        var reading = TOKENS.read(issued.token(), NOW.plusSeconds(60));
        assertEquals(ConnectSessionTokens.Verdict.EXPIRED, reading.verdict());
        assertEquals(Optional.empty(), reading.session(), "an expired session is not handed out");
    }

    @Test
    void shouldRefuseATamperedToken() {
        var issued = TOKENS.issue("org-1", List.of("A"), Optional.empty(), NOW.plusSeconds(60));
        String payload = issued.token().substring(0, issued.token().indexOf('.'));
        String forged =
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).replace("org-1", "org-2");
        String tampered =
                Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                        + issued.token().substring(issued.token().indexOf('.'));

        assertEquals(
                ConnectSessionTokens.Verdict.UNKNOWN, TOKENS.read(tampered, NOW).verdict());
        assertEquals(
                ConnectSessionTokens.Verdict.UNKNOWN,
                TOKENS.read(issued.token() + "x", NOW).verdict(),
                "a changed signature");
        for (String junk : new String[] {"", ".", "abc", "a.b.c", "%%%.%%%", "x".repeat(10_000)}) {
            assertEquals(
                    ConnectSessionTokens.Verdict.UNKNOWN, TOKENS.read(junk, NOW).verdict(), junk);
        }
    }

    @Test
    void shouldRefuseATokenOfAnotherHub() {
        var other =
                new ConnectSessionTokens("another-hub-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
        var issued = other.issue("org-1", List.of("A"), Optional.empty(), NOW.plusSeconds(60));
        assertEquals(
                ConnectSessionTokens.Verdict.UNKNOWN,
                TOKENS.read(issued.token(), NOW).verdict());
    }

    @Test
    void shouldNotTakeAnApiBearerTokenAsASession() {
        assertEquals(
                ConnectSessionTokens.Verdict.UNKNOWN,
                TOKENS.read(TestTokens.org("org-1"), Instant.now()).verdict());
        assertEquals(
                ConnectSessionTokens.Verdict.UNKNOWN,
                TOKENS.read(TestTokens.admin(), Instant.now()).verdict());
    }

    @Test
    void shouldNotPassASessionTokenAsAnApiBearerToken() {
        var verifier = new JwtVerifier(new SecuritySettings(
                TestTokens.SECRET, Duration.ofHours(24), Duration.ofSeconds(30), null, null, 1000));
        var issued = TOKENS.issue(
                "org-1", List.of("A"), Optional.empty(), Instant.now().plusSeconds(600));
        assertEquals(Optional.empty(), verifier.verify(issued.token()));
        assertFalse(verifier.verifyInternal(issued.token()));
    }

    @Test
    void shouldDeriveAKeyOfItsOwnFromTheHubSecret() {
        byte[] secret = TestTokens.SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] derived = ConnectSessionTokens.derive(secret, ConnectSessionTokens.KEY_LABEL);
        assertEquals(32, derived.length);
        assertFalse(Arrays.equals(secret, derived));
        assertFalse(Arrays.equals(derived, ConnectSessionTokens.derive(secret, "another use")));
    }

    @Test
    void shouldMatchRfc5869TestCaseThreeWithoutSalt() {
        // RFC 5869 A.3: IKM 22 bytes of 0x0b, no salt, no info; OKM starts with 8da4e775a563c18f715f802a063c5a31.
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] okm = ConnectSessionTokens.derive(ikm, "");
        assertEquals(
                "8da4e775a563c18f715f802a063c5a31",
                HexFormat.of().formatHex(okm).substring(0, 32));
    }
}
