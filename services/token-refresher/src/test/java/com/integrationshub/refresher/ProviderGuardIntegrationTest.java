package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The refresher's token calls go through the one OAuth client: no redirect followed, the outbound guard, RFC 6749 codes. */
class ProviderGuardIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(40);

    private Scenario s;
    private OAuthProviderStandIn elsewhere;

    @AfterEach
    void stop() {
        if (s != null) s.close();
        if (elsewhere != null) elsewhere.close();
    }

    @Test
    void shouldRecordARefusalWithoutFollowingATokenEndpointRedirect() {
        s = Scenario.start();
        elsewhere = OAuthProviderStandIn.start();
        elsewhere.registerClient(Scenario.CLIENT, Scenario.SECRET, ClientAuth.BASIC);
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.redirect(307, elsewhere.tokenUrl()));
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefreshFailure.class, tokenId).isEmpty(),
                "the refusal of the redirect",
                s.hub::summary);

        RecordTokenRefreshFailure failure =
                s.hub.commands(RecordTokenRefreshFailure.class, tokenId).get(0);
        assertEquals("redirect_refused", failure.getReason());
        assertTrue(failure.getNeedsReauth(), "a redirecting token endpoint is a refusal, not retried");
        assertEquals(
                0, elsewhere.tokenCalls(), "the redirect target never got the refresh token or the client's secret");
        assertEquals(List.of(), s.hub.commands(RecordTokenRefresh.class, tokenId), "no token accepted");
        assertEquals(1, s.provider.tokenCalls(), "called once, not again");
    }

    @Test
    void shouldRecordOnlyRfc6749ErrorCodes() {
        s = Scenario.start();
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.provider.failNext(grant.family(), 1, Fault.error(400, "token rt-secret-42 <b>revoked</b>"));
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefreshFailure.class, tokenId).isEmpty(),
                "the refusal",
                s.hub::summary);

        assertEquals(
                "http_400",
                s.hub.commands(RecordTokenRefreshFailure.class, tokenId).get(0).getReason());
    }

    @Test
    void shouldCallNoProviderOnLoopbackUnlessAllowed() {
        s = Scenario.start(3, Map.of("hub.oauth.allow-loopback", false));
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        s.hub.createConnection(s.connection("halo"));
        MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
        String tokenId = s.hub.issue("halo", "org-1", null, grant);
        s.startRefresher();

        Await.until(
                WAIT,
                () -> !s.hub.commands(RecordTokenRefreshFailure.class, tokenId).isEmpty(),
                "the refusal by the outbound guard",
                s.hub::summary);

        assertEquals(
                "address_not_allowed",
                s.hub.commands(RecordTokenRefreshFailure.class, tokenId).get(0).getReason());
        assertEquals(0, s.provider.tokenCalls(), "nothing sent to a loopback provider");
    }
}
