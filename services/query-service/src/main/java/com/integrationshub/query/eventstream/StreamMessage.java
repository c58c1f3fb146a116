package com.integrationshub.query.eventstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.json.EventJson;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * One message of an events stream: an event (its type and its JSON, secrets masked) or a heartbeat, each with the
 * position after it, so a client resuming from its id gets exactly what came after.
 *
 * @param position where the stream stands after this message
 * @param type the event's type, empty for a heartbeat
 * @param json the event as one line of JSON, empty for a heartbeat
 */
record StreamMessage(ResumePosition position, Optional<String> type, Optional<String> json) {

    /** A heartbeat at this position. */
    static StreamMessage heartbeat(ResumePosition position) {
        return new StreamMessage(position, Optional.empty(), Optional.empty());
    }

    /** The event, at the position after it. */
    static StreamMessage event(ResumePosition position, SpecificRecord event) {
        return new StreamMessage(position, Optional.of(event.getSchema().getName()), Optional.of(render(event)));
    }

    /**
     * The history's entry of the event ({@link EventJson#entry}) plus what it is about: {@code aggregate_id},
     * {@code integration_name} and {@code connection_name} (null when the event concerns none); {@code org_id} is the
     * entry's.
     */
    static String render(SpecificRecord event) {
        ObjectNode entry = EventJson.entry(event);
        String aggregate = String.valueOf(EventJson.field(event, "aggregate_id"));
        entry.put("aggregate_id", aggregate);
        entry.put("integration_name", integrationName(event, aggregate));
        entry.put("connection_name", (String) EventJson.field(event, "connection_name"));
        return entry.toString();
    }

    // Integration events carry the name as "name"; the aggregate id starts with it (integration/<name>/...).
    private static String integrationName(SpecificRecord event, String aggregate) {
        Object named = EventJson.field(event, "integration_name");
        if (named != null) return named.toString();
        if (!aggregate.startsWith("integration/")) return null;
        String rest = aggregate.substring("integration/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
