package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.CommandProcessorStandIn;
import com.integrationshub.refresher.support.ConnectionSpec;
import com.integrationshub.refresher.support.Deployment;
import com.integrationshub.refresher.support.RefresherInstance;
import com.integrationshub.refresher.support.SecretLeaks;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshRotationIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private OAuthProviderStandIn provider;
    private Deployment deployment;
    private CommandProcessorStandIn hub;
    private RefresherInstance refresher;

    @BeforeEach
    void start() {
        provider = OAuthProviderStandIn.start();
        provider.registerClient("app", "app-secret", ClientAuth.BASIC);
        deployment = Deployment.fresh(3);
        hub = CommandProcessorStandIn.start(deployment);
    }

    @AfterEach
    void stop() {
        if (refresher != null) refresher.close();
        hub.close();
        provider.close();
    }

    @Test
    void shouldUseEachRotatedRefreshTokenForTheNextRefresh() {
        provider.setExpiresIn(Duration.ofSeconds(2));
        hub.createConnection(ConnectionSpec.authorizationCode("halo", "app", "app-secret", provider.tokenUrl()));
        MintedGrant grant = provider.mint("app", "read");
        String tokenId = hub.issue("halo", "org-1", null, grant);

        refresher = RefresherInstance.start(deployment);
        Await.until(
                WAIT,
                () -> hub.commands(RecordTokenRefresh.class, tokenId).size() >= 4,
                "four refreshes of " + tokenId,
                hub::summary);

        List<RecordTokenRefresh> refreshes = hub.commands(RecordTokenRefresh.class, tokenId);
        List<TokenCall> calls = provider.calls();
        assertEquals(List.of(), provider.reusedRefreshTokens(), "no refresh token is used twice");
        assertEquals(grant.refreshToken(), calls.get(0).refreshToken(), "the first refresh uses the issued token");
        for (int i = 0; i < 4; i++) {
            RecordTokenRefresh command = refreshes.get(i);
            assertEquals(i + 1, command.getExpectedVersion(), "refresh " + i + " is made from the version before");
            assertNotNull(command.getRefreshToken(), "the rotated refresh token is recorded");
            if (i + 1 < calls.size()) {
                String rotated =
                        CommandProcessorStandIn.open(command.getRefreshToken(), SecretPlaces.refreshToken(tokenId));
                assertEquals(
                        rotated,
                        calls.get(i + 1).refreshToken(),
                        "refresh " + (i + 1) + " uses the token rotated by refresh " + i);
            }
        }
        assertTrue(calls.stream().allMatch(TokenCall::succeeded), "every call succeeded: " + calls);
    }

    @Test
    void shouldNeverWriteATokenOrClientSecretToTheLogOrTheCommandsTopic() {
        provider.setExpiresIn(Duration.ofSeconds(2));
        hub.createConnection(ConnectionSpec.authorizationCode("halo", "app", "app-secret", provider.tokenUrl()));
        MintedGrant grant = provider.mint("app", "read");
        String tokenId = hub.issue("halo", "org-1", null, grant);
        provider.failNext(1, Fault.invalidGrant().after(Duration.ZERO));

        refresher = RefresherInstance.start(deployment);
        Await.until(
                WAIT,
                () -> hub.commands(RecordTokenRefreshFailure.class, tokenId).size() == 1,
                "the refusal of " + tokenId,
                hub::summary);
        MintedGrant reconnect = provider.mint("app", "read");
        hub.issue("halo", "org-1", null, reconnect);
        Await.until(
                WAIT,
                () -> hub.commands(RecordTokenRefresh.class, tokenId).size() >= 2,
                "two refreshes after the reconnect",
                hub::summary);
        refresher.close();

        List<String> secrets = new ArrayList<>(List.of(
                "app-secret",
                grant.accessToken(),
                grant.refreshToken(),
                reconnect.accessToken(),
                reconnect.refreshToken()));
        provider.issuedAccessTokens().forEach(t -> secrets.add(t.value()));
        provider.calls().stream()
                .map(TokenCall::refreshToken)
                .filter(Objects::nonNull)
                .forEach(secrets::add);
        assertEquals(List.of(), SecretLeaks.inLog(secrets), "secret values in the log");
        assertEquals(
                List.of(),
                SecretLeaks.inBytes(
                        secrets,
                        hub.received().stream()
                                .map(CommandProcessorStandIn.Received::raw)
                                .toList()),
                "secret values in the bytes of the commands topic");
    }
}
