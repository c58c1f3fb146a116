package com.integrationshub.domain.integration;

import static com.integrationshub.domain.DecisionAssert.acceptedEvent;
import static com.integrationshub.domain.DecisionAssert.rejected;
import static com.integrationshub.domain.Fixtures.T0;
import static com.integrationshub.domain.Fixtures.T1;
import static com.integrationshub.domain.Fixtures.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.integrationshub.commands.RemoveIntegrationSpec;
import com.integrationshub.commands.SetIntegrationSpec;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.IntegrationSpecRemoved;
import com.integrationshub.events.IntegrationSpecSet;
import com.integrationshub.state.IntegrationState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntegrationSpecDeciderTest {

    private static final String NAME = "HaloPSA";
    private static final String DIGEST = "a".repeat(64);

    private final IntegrationDecider decider = new IntegrationDecider(100);

    @Test
    void shouldSetTheSpecAtTheNextVersionsWithItsDigest() {
        IntegrationSpecSet event = acceptedEvent(
                decider.decide(set("cmd-1", null, DIGEST), Optional.of(created()), T1), IntegrationSpecSet.class);

        assertEquals(2L, event.getVersion(), "the integration's version");
        assertEquals(1L, event.getSpecVersion(), "the first spec version");
        assertEquals(DIGEST, event.getSpecDigest());
        assertEquals(3, event.getSpecChunks());
        assertEquals("integration/HaloPSA", event.getAggregateId());
    }

    @Test
    void shouldCountSpecVersionsAcrossReplacementAndRemoval() {
        Optional<IntegrationState> state = Optional.of(created());
        state = IntegrationDecider.evolve(
                state, acceptedEvent(decider.decide(set("c1", null, DIGEST), state, T1), IntegrationSpecSet.class));
        state = IntegrationDecider.evolve(
                state, acceptedEvent(decider.decide(remove("c2", null), state, T2), IntegrationSpecRemoved.class));
        assertNull(state.orElseThrow().getSpecDigest(), "no document after removal");
        assertEquals(0, state.get().getSpecChunks());
        assertEquals(3L, state.get().getVersion());

        IntegrationSpecSet again =
                acceptedEvent(decider.decide(set("c3", null, "b".repeat(64)), state, T2), IntegrationSpecSet.class);
        assertEquals(2L, again.getSpecVersion(), "a later document gets the next spec version");
        IntegrationState after = IntegrationDecider.evolve(state, again).orElseThrow();
        assertEquals("b".repeat(64), after.getSpecDigest());
        assertEquals("Tickets", after.getSpecTitle());
        assertEquals(4, after.getSpecOperations());
    }

    @Test
    void shouldRefuseMissingIntegrationsStaleVersionsAndRemovingNothing() {
        rejected(decider.decide(set("c", null, DIGEST), Optional.empty(), T1), 404, Problems.NOT_FOUND);
        rejected(decider.decide(set("c", 7L, DIGEST), Optional.of(created()), T1), 412, Problems.STALE_VERSION);
        rejected(decider.decide(remove("c", null), Optional.of(created()), T1), 404, Problems.NOT_FOUND);
        rejected(decider.decide(remove("c", null), Optional.empty(), T1), 404, Problems.NOT_FOUND);
    }

    private static IntegrationState created() {
        return IntegrationState.newBuilder()
                .setId("integration-1")
                .setName(NAME)
                .setAuthScheme(AuthScheme.API_KEY)
                .setConfigSchema(List.of())
                .setVersion(1L)
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
    }

    private static SetIntegrationSpec set(String commandId, Long expected, String digest) {
        return SetIntegrationSpec.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T1)
                .setIssuedBy("admin")
                .setExpectedVersion(expected)
                .setName(NAME)
                .setSpecDigest(digest)
                .setSpecTitle("Tickets")
                .setSpecOperations(4)
                .setSpecBytes(1_200_000)
                .setSpecChunks(3)
                .build();
    }

    private static RemoveIntegrationSpec remove(String commandId, Long expected) {
        return RemoveIntegrationSpec.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(T2)
                .setIssuedBy("admin")
                .setExpectedVersion(expected)
                .setName(NAME)
                .build();
    }
}
