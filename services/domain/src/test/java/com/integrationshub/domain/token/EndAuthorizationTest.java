package com.integrationshub.domain.token;

import static com.integrationshub.domain.DecisionAssert.acceptedEvent;
import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static com.integrationshub.domain.Fixtures.T1;
import static com.integrationshub.domain.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.EndAuthorization;
import com.integrationshub.events.AuthorizationEnded;
import com.integrationshub.events.AuthorizationStarted;
import com.integrationshub.state.AuthorizationState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A provider answer without a token uses the authorization's state up. */
class EndAuthorizationTest {

    private static final String HASH = "ab".repeat(32);

    private static Optional<AuthorizationState> started() {
        return TokenDecider.evolveAuthorization(
                Optional.empty(),
                AuthorizationStarted.newBuilder()
                        .setEventId("e1")
                        .setAggregateId("oauth-connection/halo/authorization/" + HASH)
                        .setVersion(1)
                        .setOccurredAt(T0)
                        .setCausationId("c1")
                        .setConnectionId("halo/org-1")
                        .setStateHash(HASH)
                        .setConnectionName("halo")
                        .setIntegrationName("Halo")
                        .setOrgId("org-1")
                        .setEntityId(null)
                        .setPkceVerifier(secret("v"))
                        .setRedirectUri("https://hub/cb")
                        .setExpiresAt(T1)
                        .build());
    }

    private static EndAuthorization end(String connection) {
        return EndAuthorization.newBuilder()
                .setCommandId("c2")
                .setIssuedAt(T0)
                .setIssuedBy("unknown")
                .setConnectionName(connection)
                .setStateHash(HASH)
                .setReason("access_denied")
                .build();
    }

    @Test
    void shouldUseUpAStartedAuthorization() {
        AuthorizationEnded ended =
                acceptedEvent(TokenDecider.decide(end("halo"), started(), T0), AuthorizationEnded.class);
        assertEquals("access_denied", ended.getReason());
        assertEquals(2L, ended.getVersion());
        AuthorizationState after =
                TokenDecider.evolveAuthorization(started(), ended).orElseThrow();
        assertTrue(after.getUsed(), "the state cannot be used again");
        assertEquals(2L, after.getVersion());
    }

    @Test
    void shouldRefuseAnUnknownOrUsedStateOrOneOfAnotherConnection() {
        rejected(TokenDecider.decide(end("halo"), Optional.empty(), T0), 400, "invalid-state");
        rejected(TokenDecider.decide(end("other"), started(), T0), 400, "invalid-state");
        AuthorizationEnded ended =
                acceptedEvent(TokenDecider.decide(end("halo"), started(), T0), AuthorizationEnded.class);
        Optional<AuthorizationState> used = TokenDecider.evolveAuthorization(started(), ended);
        rejected(TokenDecider.decide(end("halo"), used, T0), 400, "invalid-state");
    }
}
