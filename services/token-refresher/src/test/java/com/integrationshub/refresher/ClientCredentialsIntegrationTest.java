package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.ConnectionSpec;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientCredentialsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private final Scenario s = Scenario.start();

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void shouldFetchAndRenewTheGlobalTokenWithNoPersonInvolved() {
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("service").withGrantType(GrantType.CLIENT_CREDENTIALS));
        String tokenId = Names.tokenId("service", null);
        s.startRefresher();

        Await.until(
                WAIT,
                () -> s.hub.commands(IssueToken.class, tokenId).size() >= 3,
                "a fetch and two renewals of " + tokenId,
                s.hub::summary);

        List<IssueToken> issued = s.hub.commands(IssueToken.class, tokenId);
        IssueToken first = issued.get(0);
        assertNull(first.getOrgId(), "the global token");
        assertNull(first.getStateHash(), "no authorization flow");
        assertEquals(RefreshEngine.ISSUED_BY, first.getIssuedBy());
        assertEquals(List.of("read"), first.getScopes());
        assertEquals(3, issued.stream().map(IssueToken::getCommandId).distinct().count(), "one command per fetch");
        List<TokenCall> calls = s.provider.calls();
        assertTrue(
                calls.stream()
                        .allMatch(c -> OAuthProviderStandIn.CLIENT_CREDENTIALS.equals(c.grantType()) && c.succeeded()),
                "client credentials calls only: " + calls);
        List<Instant> times = calls.stream().map(TokenCall::at).toList();
        for (int i = 1; i < times.size(); i++) {
            assertTrue(
                    Duration.between(times.get(i - 1), times.get(i)).toMillis() >= 950,
                    "renewed at half the 2 s lifetime, not sooner: " + times);
        }
        assertEquals(List.of(), s.hub.commands(RecordTokenRefresh.class, tokenId));
    }

    @Test
    void shouldStopFetchingWhileTheClientIsRefusedAndStartAgainWhenTheConnectionChanges() {
        ConnectionSpec wrong = ConnectionSpec.authorizationCode(
                        "service", Scenario.CLIENT, "wrong-secret", s.provider.tokenUrl())
                .withGrantType(GrantType.CLIENT_CREDENTIALS);
        s.hub.createConnection(wrong);
        String tokenId = Names.tokenId("service", null);
        s.startRefresher();
        Await.until(WAIT, () -> s.provider.tokenCalls() == 1, "the refused fetch");
        assertEquals(401, s.provider.calls().get(0).status());

        s.hub.updateConnection(s.connection("service").withGrantType(GrantType.CLIENT_CREDENTIALS));

        Await.until(
                WAIT,
                () -> !s.hub.commands(IssueToken.class, tokenId).isEmpty(),
                "a fetch with the new secret",
                s.hub::summary);
        assertEquals(
                List.of(401, 200),
                s.provider.calls().stream().map(TokenCall::status).toList(),
                "no call between the refusal and the change");
    }
}
