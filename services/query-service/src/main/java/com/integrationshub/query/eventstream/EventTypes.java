package com.integrationshub.query.eventstream;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The event types of the events topic a stream may ask for ({@code types}), by the name its messages carry. */
final class EventTypes {

    /** The namespace of the events' Avro schemas. */
    static final String NAMESPACE = "com.integrationshub.events";

    /** Every event type (schemas/src/main/avro/events; EventTypesTest keeps the two equal). */
    static final Set<String> ALL = Set.of(
            "AuthorizationEnded",
            "AuthorizationStarted",
            "CredentialsSet",
            "IntegrationCreated",
            "IntegrationDefaultsSet",
            "IntegrationDeleted",
            "IntegrationSpecRemoved",
            "IntegrationSpecSet",
            "IntegrationUpdated",
            "MappingDeleted",
            "MappingUpserted",
            "OAuthConnectionCreated",
            "OAuthConnectionDeleted",
            "OAuthConnectionUpdated",
            "TokenIssued",
            "TokenRefreshAttempted",
            "TokenRefreshFailed",
            "TokenRefreshRequested",
            "TokenRefreshed",
            "TokenRevoked");

    private EventTypes() {}

    /**
     * The types asked for by the values of {@code types} (each a comma-separated list; spaces around names ignored),
     * or empty for every type when there is none.
     *
     * @throws IllegalArgumentException when a name is not an event type, or the values name none (the message names
     *     no input)
     */
    static Optional<Set<String>> parse(List<String> values) {
        if (values.isEmpty()) return Optional.empty();
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            for (String name : value.split(",", -1)) {
                String trimmed = name.strip();
                if (trimmed.isEmpty()) continue;
                if (!ALL.contains(trimmed)) {
                    throw new IllegalArgumentException("names an unknown event type; known: "
                            + String.join(", ", ALL.stream().sorted().toList()));
                }
                types.add(trimmed);
            }
        }
        if (types.isEmpty()) throw new IllegalArgumentException("names no event type; leave it out for every type");
        return Optional.of(Set.copyOf(types));
    }

    /** Whether an Avro schema's full name is an event of one of these types (all when empty). */
    static boolean wanted(String fullName, Optional<Set<String>> types) {
        if (!fullName.startsWith(NAMESPACE + ".")) return false;
        String name = fullName.substring(NAMESPACE.length() + 1);
        return types.map(t -> t.contains(name)).orElse(true);
    }
}
