package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.events.IntegrationDeleted;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final IntegrationDeleted EVENT = IntegrationDeleted.newBuilder()
            .setEventId("e-1")
            .setAggregateId("integration/HaloPSA")
            .setVersion(2L)
            .setOccurredAt(Fixtures.T0)
            .setCausationId("cmd-1")
            .setName("HaloPSA")
            .build();

    @Test
    void shouldAcceptWithItsEvents() {
        Decision decision = Decision.accept(EVENT);

        assertTrue(decision.accepted(), "an accepted decision");
        assertEquals(List.of(EVENT), decision.events(), "events");
    }

    @Test
    void shouldRejectWithoutEvents() {
        Decision decision = Decision.reject(Problems.conflict("taken"));

        assertFalse(decision.accepted(), "a rejected decision");
        assertEquals(List.of(), decision.events(), "events of a rejection");
    }

    @Test
    void shouldRefuseRejectionWithEvents() {
        List<SpecificRecord> events = List.of(EVENT);

        assertThrows(
                IllegalArgumentException.class,
                () -> new Decision(events, Optional.of(Problems.conflict("taken"))),
                "a rejection carrying events");
    }
}
