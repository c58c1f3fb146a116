package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void shouldDeriveTheSameEventIdFromTheSameCommand() {
        assertEquals(EventIds.event("cmd-1", 0), EventIds.event("cmd-1", 0), "event id of the same command");
    }

    @Test
    void shouldDeriveDistinctEventIdsPerCommandAndPosition() {
        assertNotEquals(EventIds.event("cmd-1", 0), EventIds.event("cmd-1", 1), "first and second event");
        assertNotEquals(EventIds.event("cmd-1", 0), EventIds.event("cmd-2", 0), "two commands");
    }

    @Test
    void shouldKeepResourceIdsApartFromEventIdsAndOtherKinds() {
        assertNotEquals(
                EventIds.resource("mapping", "cmd-1"),
                EventIds.resource("integration", "cmd-1"),
                "two kinds of resource of one command");
        assertNotEquals(
                EventIds.event("cmd-1", 0),
                EventIds.resource("integration", "cmd-1"),
                "event id and resource id of one command");
    }

    @Test
    void shouldBeUuids() {
        String id = EventIds.event("cmd-1", 0);

        assertEquals(id, UUID.fromString(id).toString(), "an event id in UUID form");
    }
}
