package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefreshStageTest {

    private static final Map<RefreshStage, Set<RefreshStage>> LEGAL = Map.of(
            RefreshStage.IDLE,
                    EnumSet.of(
                            RefreshStage.IDLE,
                            RefreshStage.QUEUED,
                            RefreshStage.RECORDING,
                            RefreshStage.IN_FLIGHT,
                            RefreshStage.AWAITING),
            RefreshStage.QUEUED, EnumSet.of(RefreshStage.IDLE, RefreshStage.RECORDING, RefreshStage.IN_FLIGHT),
            RefreshStage.RECORDING,
                    EnumSet.of(
                            RefreshStage.IDLE, RefreshStage.RECORDING, RefreshStage.IN_FLIGHT, RefreshStage.AWAITING),
            RefreshStage.IN_FLIGHT, EnumSet.of(RefreshStage.IDLE, RefreshStage.RETRY_WAIT, RefreshStage.AWAITING),
            RefreshStage.RETRY_WAIT,
                    EnumSet.of(RefreshStage.IDLE, RefreshStage.QUEUED, RefreshStage.IN_FLIGHT, RefreshStage.AWAITING),
            RefreshStage.AWAITING, EnumSet.of(RefreshStage.IDLE, RefreshStage.AWAITING));

    private final TokenEntry token = new TokenEntry(new ConnectionEntry("halo", 0), "org-1");

    @Test
    void shouldAllowExactlyTheDocumentedTransitions() {
        for (RefreshStage from : RefreshStage.values()) {
            assertEquals(LEGAL.get(from), from.nextStages(), "next stages of " + from);
            for (RefreshStage to : RefreshStage.values()) {
                assertEquals(LEGAL.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void shouldWalkARefreshWithRetryThroughItsStages() {
        for (RefreshStage next : new RefreshStage[] {
            RefreshStage.QUEUED,
            RefreshStage.RECORDING,
            RefreshStage.IN_FLIGHT,
            RefreshStage.RETRY_WAIT,
            RefreshStage.IN_FLIGHT,
            RefreshStage.AWAITING,
            RefreshStage.AWAITING,
            RefreshStage.IDLE
        }) {
            token.moveTo(next);
            assertEquals(next, token.stage());
        }
    }

    @Test
    void shouldRefuseACallWhileAwaitingAnOutcomeAndStayAwaiting() {
        token.moveTo(RefreshStage.IN_FLIGHT);
        token.moveTo(RefreshStage.AWAITING);

        final IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> token.moveTo(RefreshStage.IN_FLIGHT));

        assertEquals("token halo/org-1 cannot move from AWAITING to IN_FLIGHT", refused.getMessage());
        assertEquals(RefreshStage.AWAITING, token.stage());
    }

    @Test
    void shouldRefuseARetryOfATokenThatMadeNoCall() {
        assertThrows(IllegalStateException.class, () -> token.moveTo(RefreshStage.RETRY_WAIT));
        token.moveTo(RefreshStage.QUEUED);
        assertThrows(IllegalStateException.class, () -> token.moveTo(RefreshStage.RETRY_WAIT));
        assertThrows(IllegalStateException.class, () -> token.moveTo(RefreshStage.AWAITING));
        assertEquals(RefreshStage.QUEUED, token.stage());
    }
}
