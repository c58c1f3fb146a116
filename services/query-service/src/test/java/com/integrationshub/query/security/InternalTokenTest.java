package com.integrationshub.query.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.integrationshub.runtime.security.SecuritySettings;
import com.integrationshub.testkit.MovableClock;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The internal token takes its time from the injected clock: a fixed clock makes its renewal observable. */
class InternalTokenTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SecuritySettings SETTINGS = new SecuritySettings(
            "0123456789abcdef0123456789abcdef", Duration.ofHours(24), Duration.ofSeconds(30), null, null, 0);

    @Test
    void shouldIssueAtTheClocksNowAndKeepTheTokenUntilHalfItsValidity() throws Exception {
        MovableClock clock = new MovableClock(T0);
        InternalToken tokens = new InternalToken(SETTINGS, clock);
        String first = tokens.current();
        assertEquals(T0, SignedJWT.parse(first).getJWTClaimsSet().getIssueTime().toInstant());

        clock.set(T0.plus(Duration.ofMinutes(2)));
        assertEquals(first, tokens.current(), "still within half of its 5-minute validity");

        clock.set(T0.plus(Duration.ofMinutes(3)));
        String renewed = tokens.current();
        assertNotEquals(first, renewed);
        assertEquals(
                clock.instant(),
                SignedJWT.parse(renewed).getJWTClaimsSet().getIssueTime().toInstant());
    }
}
