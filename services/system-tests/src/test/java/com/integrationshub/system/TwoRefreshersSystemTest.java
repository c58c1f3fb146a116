package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two refresher instances share 200 tokens through their consumer group; no single-use refresh token is used twice. */
class TwoRefreshersSystemTest {

    private static final int TOKENS = 200;
    private static final int CONNECTORS = 8;

    private static OAuthProviderStandIn provider;
    private static Hub hub;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        hub = Hub.start(java.util.Map.of("HUB_REFRESHER_FLOOR", "1s", "HUB_REFRESHER_HANDOVER_TIMEOUT", "10s"));
        hub.startRefresher();
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldNeverPresentASingleUseRefreshTokenTwiceAcrossInstancesAndRounds() throws Exception {
        OAuthJourney journey = new OAuthJourney(hub, provider);
        // Three connections, so their tokens land on different partitions and both instances own some.
        List<String> integrations = List.of("A", "B", "C");
        for (String name : integrations)
            journey.defineIntegration(name, "conn-" + name.toLowerCase(), ClientAuth.BASIC);
        provider.setExpiresIn(Duration.ofSeconds(16));

        ExecutorService pool = Executors.newFixedThreadPool(CONNECTORS);
        try {
            List<Future<?>> connected = new ArrayList<>();
            IntStream.range(0, TOKENS)
                    .forEach(i -> connected.add(
                            pool.submit(() -> journey.connect(integrations.get(i % integrations.size()), "org-" + i))));
            for (Future<?> f : connected) f.get();
        } finally {
            pool.shutdown();
        }
        int afterConnect = provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN);

        // 16 s tokens refresh every ~8 s: wait for at least two rounds over all 200.
        Poll.until(
                Duration.ofSeconds(90),
                () -> provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN),
                n -> n >= afterConnect + 2 * TOKENS,
                "two refresh rounds of " + TOKENS + " tokens");

        assertEquals(List.of(), provider.reusedRefreshTokens(), "no refresh token presented twice");
        long refusals = provider.calls().stream()
                .filter(c -> OAuthProviderStandIn.REFRESH_TOKEN.equals(c.grantType()) && !c.succeeded())
                .count();
        assertEquals(0, refusals, "every refresh succeeded");
        assertTrue(
                provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN) <= afterConnect + 5 * TOKENS,
                "no refresh storm: " + provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN));
    }
}
