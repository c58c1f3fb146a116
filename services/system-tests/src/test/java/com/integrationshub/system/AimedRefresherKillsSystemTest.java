package com.integrationshub.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.system.RefreshChaos.Loss;
import com.integrationshub.system.RefreshChaos.Org;
import com.integrationshub.system.RefreshChaos.Outcome;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.oauth.SentAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 5: kills aimed at the unavoidable window. The provider stand-in kills the token-refresher (SIGKILL)
 * in the instant after it sent a refresh answer in full, so the single-use refresh token is spent and the new pair
 * exists only in the dead process; the refresher is restarted at once. Every such lost outcome must end as item 2
 * says for a strict provider: the token needs reauthorization with the reason refresh_outcome_lost (a
 * TokenRefreshFailed event), the spent refresh token is never presented again, and the other orgs are unaffected.
 */
class AimedRefresherKillsSystemTest {

    /**
     * After a takeover the tokens that came due meanwhile are refreshed together and stay in step, so one aimed kill
     * lands among several refreshes at once; 24 orgs leave some unaffected to show that they are.
     */
    private static final int ORGS = 24;

    private static final int AIMED_KILLS = 4;
    private static final int BYSTANDERS = 3;

    private static RefreshChaos chaos;

    @BeforeAll
    static void start() {
        chaos = RefreshChaos.start();
    }

    @AfterAll
    static void stop() {
        if (chaos != null) chaos.close();
    }

    @Test
    void shouldMarkEveryLostRefreshOutcomeNeedsReauthAndNeverPresentItsRefreshTokenAgain() throws Exception {
        chaos.connect(ORGS);
        chaos.awaitTakeover();

        List<SentAnswer> aimed = new ArrayList<>();
        for (int i = 0; i < AIMED_KILLS; i++) {
            // The tokens refresh in step, so one kill can leave every org so far needs_reauth (strict): two fresh
            // orgs make sure there is a next refresh to aim at.
            if (i > 0) chaos.connectMore(2);
            aimed.add(chaos.killRightAfterNextRefreshAnswer(chaos.alive().get(0), RefreshChaos.LIFETIME));
            chaos.startRefresher();
            chaos.awaitTakeover();
        }
        Instant lastKill = chaos.kills.get(chaos.kills.size() - 1).at();
        // After each takeover every overdue token refreshes at once, so an aimed kill can catch every org of the
        // first set in flight once: orgs connected now never were, and show the unaffected path for certain.
        chaos.connectMore(BYSTANDERS);
        chaos.awaitEveryActiveOrgRefreshedAfter(lastKill);

        List<Outcome> outcomes = chaos.outcomes();
        long inside = chaos.killsInsideARefresh();
        System.out.println(chaos.figures("aimed-kills", outcomes, inside));
        outcomes.stream().filter(o -> o.loss() != Loss.NONE).forEach(o -> System.out.println("chaos: lost " + o));

        assertEquals(0, chaos.provider.refreshTokensPresentedTwice(), "no refresh token presented twice");
        assertEquals(0, chaos.provider.grantsRevoked(), "no grant revoked by the provider");
        long aimedLost = aimed.stream()
                .filter(a -> outcomeOf(outcomes, a).loss() == Loss.ANSWER_SENT_NOT_RECORDED)
                .count();
        System.out.printf(
                "chaos: test=aimed-kills aimed=%d aimed_answers_lost=%d aimed_answers_recorded_before_the_kill=%d%n",
                aimed.size(), aimedLost, aimed.size() - aimedLost);
        assertTrue(aimedLost > 0, "at least one aimed kill landed before the refresher recorded the answer");

        assertTrue(
                outcomes.stream().filter(o -> o.loss() == Loss.NONE).count() >= BYSTANDERS,
                "the orgs connected after the kills were never in flight at one");
        for (Outcome o : outcomes) {
            if (o.loss() == Loss.NONE) {
                // Unaffected: served, and refreshed after the last kill (awaitEveryActiveOrgRefreshedAfter).
                assertEquals("active", o.status(), "an org whose every refresh was recorded is served: " + o);
                assertEquals(Duration.ZERO, o.longestGap(), "refreshed before its tokens expired: " + o);
                continue;
            }
            Org org = o.org();
            assertEquals("needs_reauth", o.status(), "a lost outcome leaves the token needing reauthorization: " + o);
            assertNotNull(o.lostFailure(), "a TokenRefreshFailed with reason refresh_outcome_lost: " + o);
            assertTrue(o.lostFailure().needsReauth(), o.toString());
            Http.Reply credentials = chaos.credentials(org);
            assertEquals(409, credentials.status(), credentials.toString());
            assertTrue(credentials.json().get("type").asText().endsWith("/not-authorized"), credentials.toString());
            assertEquals(RefreshChaos.OUTCOME_LOST, chaos.reauthReason(org), "the org view says why: " + o);
            // The provider's view: the grant is intact, its current refresh token (issued in the lost answer, or the
            // one never presented) was never presented by the hub, and the spent one only once.
            String current = chaos.provider.currentRefreshToken(org.family());
            assertNotNull(current, "the grant of " + org.id() + " was not revoked");
            assertEquals(0, chaos.provider.callsWithRefreshToken(current), "nobody holds it but the dead process");
        }
        for (SentAnswer a : aimed) {
            assertEquals(
                    1, chaos.provider.callsWithRefreshToken(a.call().refreshToken()), "the spent refresh token once");
        }
    }

    private static Outcome outcomeOf(List<Outcome> outcomes, SentAnswer answer) {
        return outcomes.stream()
                .filter(o -> o.org().family().equals(answer.call().family()))
                .findFirst()
                .orElseThrow();
    }
}
