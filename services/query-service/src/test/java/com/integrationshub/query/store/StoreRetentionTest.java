package com.integrationshub.query.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.SealedSecret;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.AuthorizationState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreRetentionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final StoreRetention DAY = new StoreRetention(Duration.ofHours(24), Duration.ofMinutes(1));

    @Test
    void shouldForgetAProcessedCommandOnlyOnceItsRetentionHasPassed() {
        CommandOutcome outcome = CommandOutcome.newBuilder()
                .setCommandId("c")
                .setAccepted(true)
                .setDecidedAt(T0)
                .build();
        assertFalse(DAY.forgotten(outcome, T0.plus(Duration.ofHours(24)).minusMillis(1)));
        assertTrue(DAY.forgotten(outcome, T0.plus(Duration.ofHours(24))));
    }

    @Test
    void shouldDropAnAuthorizationFromItsExpiryOn() {
        AuthorizationState a = AuthorizationState.newBuilder()
                .setStateHash("h")
                .setConnectionId("c/o")
                .setConnectionName("c")
                .setIntegrationName(null)
                .setOrgId("o")
                .setEntityId(null)
                .setPkceVerifier(new SealedSecret(1L, ByteBuffer.wrap(new byte[1])))
                .setRedirectUri("https://hub/cb")
                .setExpiresAt(T0)
                .setUsed(false)
                .setVersion(1)
                .build();
        assertFalse(StoreRetention.expired(a, T0.minusMillis(1)));
        assertTrue(StoreRetention.expired(a, T0));
    }

    @Test
    void shouldRefuseARetentionThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new StoreRetention(Duration.ZERO, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new StoreRetention(Duration.ofHours(1), Duration.ZERO));
    }
}
