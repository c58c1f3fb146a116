package com.integrationshub.query.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    @Test
    void shouldKnowEveryEventSchemaOfTheEventsTopic() throws IOException {
        Path events = Path.of(System.getProperty("user.dir"))
                .resolve("../../schemas/src/main/avro/events")
                .normalize();
        Set<String> schemas;
        try (Stream<Path> files = Files.list(events)) {
            schemas = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".avsc"))
                    .map(n -> n.substring(0, n.length() - ".avsc".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(schemas, new TreeSet<>(EventTypes.ALL), "EventTypes.ALL against " + events);
    }

    @Test
    void shouldReadCommaSeparatedAndRepeatedTypes() {
        assertEquals(
                Optional.of(Set.of("TokenRefreshed", "TokenRefreshFailed", "TokenIssued")),
                EventTypes.parse(List.of("TokenRefreshed, TokenRefreshFailed", "TokenIssued")));
        assertEquals(Optional.empty(), EventTypes.parse(List.of()), "no types: every type");
    }

    @Test
    void shouldRefuseAnUnknownTypeOrNoneWithoutEchoingIt() {
        var unknown = assertThrows(
                IllegalArgumentException.class, () -> EventTypes.parse(List.of("TokenRefreshed,<b>Hacked</b>")));
        assertFalse(unknown.getMessage().contains("Hacked"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("TokenRefreshFailed"), "lists the known types: " + unknown);
        assertThrows(IllegalArgumentException.class, () -> EventTypes.parse(List.of(" , ")));
        assertThrows(IllegalArgumentException.class, () -> EventTypes.parse(List.of("tokenrefreshed")));
    }

    @Test
    void shouldWantOnlyEventsOfTheAskedTypes() {
        Optional<Set<String>> tokens = Optional.of(Set.of("TokenRefreshed"));
        assertTrue(EventTypes.wanted("com.integrationshub.events.TokenRefreshed", tokens));
        assertFalse(EventTypes.wanted("com.integrationshub.events.TokenIssued", tokens));
        assertTrue(EventTypes.wanted("com.integrationshub.events.TokenIssued", Optional.empty()));
        assertFalse(
                EventTypes.wanted("com.integrationshub.commands.RecordTokenRefresh", Optional.empty()),
                "a command is no event");
    }
}
