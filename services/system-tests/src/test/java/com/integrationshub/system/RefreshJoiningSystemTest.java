package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.Fault;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md Credentials: requests for a token already being refreshed join that refresh, and a token refreshed less
 * than hub.refresher.min-interval ago answers 200 with its current expiry and no provider call. query-service and
 * the refresher as processes, the provider stand-in counting token calls.
 */
class RefreshJoiningSystemTest {

    private static OAuthProviderStandIn provider;
    private static Hub hub;
    private static OAuthJourney journey;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        hub = Hub.start(Map.of(), Map.of("HUB_REFRESHER_MIN_INTERVAL", "30s"));
        journey = new OAuthJourney(hub, provider);
        journey.defineIntegration("Joined", "joined", ClientAuth.BASIC);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldMakeOneProviderCallForTenConcurrentRefreshesAndNoneForARefreshWithinTheMinimumInterval()
            throws Exception {
        provider.setExpiresIn(Duration.ofHours(1));
        journey.connect("Joined", "org-j");
        int before = provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN);
        // A slow provider keeps the first refresh under way while the other nine requests arrive.
        provider.failNext(1, Fault.slow(Duration.ofSeconds(3)));

        List<Http.Reply> replies = allAtOnce(10, () -> journey.refresh("Joined", "org-j"));

        for (Http.Reply reply : replies) assertEquals(200, reply.status(), "every joined request: " + reply);
        assertEquals(
                before + 1,
                provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN),
                "10 concurrent refreshes of one token make one provider call");
        String expiresAt = journey.oauth("Joined", "org-j").get("expires_at").asText();
        for (Http.Reply reply : replies) {
            assertEquals(expiresAt, reply.json().get("expires_at").asText(), "each answers the refreshed expiry");
        }

        Http.Reply again = journey.refresh("Joined", "org-j");
        assertEquals(200, again.status(), again.toString());
        assertEquals(expiresAt, again.json().get("expires_at").asText(), "the current expiry, unchanged");
        assertEquals(
                before + 1,
                provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN),
                "a refresh within hub.refresher.min-interval makes no provider call");
    }

    private static List<Http.Reply> allAtOnce(int n, Callable<Http.Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Http.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return call.call();
                }));
            }
            gate.countDown();
            List<Http.Reply> replies = new ArrayList<>();
            for (Future<Http.Reply> f : futures) replies.add(f.get());
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
