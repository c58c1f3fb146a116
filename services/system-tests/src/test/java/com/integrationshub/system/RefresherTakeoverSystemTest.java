package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A token-refresher killed with SIGKILL holds its partitions in the consumer group until its session times out
 * (hub.refresher.consumer.session-timeout, 10 s; Kafka's own default of 45 s left tokens unrefreshed for most of a
 * minute). Measured through the provider's call log: the time from a kill until every org's token is refreshed
 * again, once for a refresher restarted at once and once for one replaced by a second instance already running.
 *
 * <p>The provider here never rotates refresh tokens (and the connections say so, {@code refresh_token_rotation:
 * none}), so a kill between a recorded attempt and its recorded answer is retried with the same refresh token and
 * every token is refreshed again: this test measures the takeover. What a strict provider costs in that window is
 * {@link RefresherChaosSystemTest}'s and {@link AimedRefresherKillsSystemTest}'s subject.
 */
class RefresherTakeoverSystemTest {

    private static final Duration LIFETIME = Duration.ofSeconds(10);
    private static final List<String> INTEGRATIONS = List.of("A", "B", "C");
    private static final int ORGS = 12;
    /** Session timeout (10 s), a rebalance and a replay, with the machine loaded; well below Kafka's 45 s. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(30);

    private static OAuthProviderStandIn provider;
    private static Hub hub;

    @BeforeAll
    static void start() {
        provider = OAuthProviderStandIn.start();
        hub = Hub.start(Map.of("HUB_REFRESHER_FLOOR", "1s", "HUB_REFRESHER_HANDOVER_TIMEOUT", "5s"));
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
    }

    @Test
    void shouldRefreshEveryTokenWithinSecondsOfARefresherBeingKilled() {
        OAuthJourney journey = new OAuthJourney(hub, provider);
        // Three connections, so the tokens spread over the three partitions.
        for (String name : INTEGRATIONS)
            journey.defineIntegration(name, "conn-" + name.toLowerCase(), ClientAuth.BASIC, "none");
        provider.setExpiresIn(LIFETIME);
        provider.setOmitRefreshToken(true);
        List<String> families = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
            String integration = INTEGRATIONS.get(i % INTEGRATIONS.size());
            journey.connect(integration, "org-" + i);
            families.add(journey.family(integration, "org-" + i));
        }
        ServiceProcess first = hub.refreshers().get(0);
        awaitRefreshAfter(families, Instant.now(), "every token refreshed once before the kills");

        // 1. Killed and restarted at once, as bin/local-stack and a process supervisor do.
        Instant killed = Instant.now();
        first.kill();
        ServiceProcess restarted = hub.startRefresher();
        Duration restartTakeover = awaitRefreshAfter(families, killed, "every token refreshed after the restart");

        // 2. Replaced: a second instance shares the tokens, then the first is killed and not restarted.
        hub.startRefresher();
        Poll.pause(Duration.ofSeconds(8));
        awaitRefreshAfter(families, Instant.now(), "every token refreshed while two instances share them");
        killed = Instant.now();
        restarted.kill();
        Duration replacedTakeover = awaitRefreshAfter(families, killed, "every token refreshed by the survivor");

        Duration longestInvalid = longestTimeWithoutValidToken(families);
        System.out.printf(
                "kill -9 then restart: every token refreshed %d ms after the kill; kill -9 of one of two:"
                        + " %d ms; longest time an org had no valid access token: %d ms; refresh tokens reused: %s%n",
                restartTakeover.toMillis(),
                replacedTakeover.toMillis(),
                longestInvalid.toMillis(),
                provider.reusedRefreshTokens().size());
        assertTrue(
                restartTakeover.compareTo(TAKEOVER_BOUND) < 0, "restarted refresher took over in " + restartTakeover);
        assertTrue(
                replacedTakeover.compareTo(TAKEOVER_BOUND) < 0, "surviving refresher took over in " + replacedTakeover);
    }

    /** Waits until every family has a refresh after `since`; returns how long after `since` the last one came. */
    private static Duration awaitRefreshAfter(List<String> families, Instant since, String what) {
        Poll.until(
                Duration.ofSeconds(90),
                () -> families.stream().allMatch(f -> firstCallAfter(f, since) != null),
                done -> done,
                what);
        Instant last = since;
        for (String family : families) {
            Instant first = firstCallAfter(family, since);
            if (first.isAfter(last)) last = first;
        }
        return Duration.between(since, last);
    }

    private static Instant firstCallAfter(String family, Instant since) {
        return provider.callTimes(family).stream()
                .filter(t -> t.isAfter(since))
                .findFirst()
                .orElse(null);
    }

    /** The longest stretch in which an org's latest access token had expired, over the whole test. */
    private static Duration longestTimeWithoutValidToken(List<String> families) {
        Duration longest = Duration.ZERO;
        for (String family : families) {
            List<Instant> calls = provider.callTimes(family);
            for (int i = 1; i < calls.size(); i++) {
                Duration gap = Duration.between(calls.get(i - 1).plus(LIFETIME), calls.get(i));
                if (gap.compareTo(longest) > 0) longest = gap;
            }
        }
        return longest;
    }
}
