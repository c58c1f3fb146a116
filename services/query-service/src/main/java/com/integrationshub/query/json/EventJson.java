package com.integrationshub.query.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.SealedSecret;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event of the events topic as JSON, secrets masked: what the history of an integration lists and what the events
 * stream sends. Every sealed value, wherever it sits in the event (a field, a map's value, a nested record), reads
 * {@value ConfigJson#MASK}; nothing of it (key id, ciphertext) is rendered.
 */
public final class EventJson {

    private static final Set<String> COMMON =
            Set.of("event_id", "aggregate_id", "version", "occurred_at", "causation_id");

    private EventJson() {}

    /**
     * {@code {"type", "version", "at", "org_id", "event_id", "data"}}: {@code data} holds every field but the ones all
     * events share, secrets masked; {@code org_id} is null for an event without one.
     */
    public static ObjectNode entry(SpecificRecord event) {
        ObjectNode entry = JsonBody.mapper().createObjectNode();
        entry.put("type", event.getSchema().getName());
        entry.put("version", (Long) field(event, "version"));
        entry.put("at", String.valueOf(field(event, "occurred_at")));
        entry.put("org_id", (String) field(event, "org_id"));
        entry.put("event_id", (String) field(event, "event_id"));
        ObjectNode data = entry.putObject("data");
        for (Schema.Field f : event.getSchema().getFields()) {
            if (!COMMON.contains(f.name())) data.set(f.name(), masked(event.get(f.pos())));
        }
        return entry;
    }

    /** The value of a field of the event, or null when its schema has no such field. */
    public static Object field(SpecificRecord event, String name) {
        Schema.Field f = event.getSchema().getField(name);
        return f == null ? null : event.get(f.pos());
    }

    private static JsonNode masked(Object value) {
        var json = JsonBody.mapper();
        if (value == null) return json.nullNode();
        if (value instanceof SealedSecret) return json.getNodeFactory().textNode(ConfigJson.MASK);
        if (value instanceof JsonText text) {
            try {
                return json.readTree(text.getJson());
            } catch (Exception e) {
                return json.getNodeFactory().textNode(text.getJson());
            }
        }
        if (value instanceof SpecificRecord record) {
            ObjectNode node = json.createObjectNode();
            record.getSchema().getFields().forEach(f -> node.set(f.name(), masked(record.get(f.pos()))));
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = json.createObjectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), masked(v)));
            return node;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode node = json.createArrayNode();
            items.forEach(i -> node.add(masked(i)));
            return node;
        }
        if (value instanceof Long l) return json.getNodeFactory().numberNode(l);
        if (value instanceof Integer i) return json.getNodeFactory().numberNode(i);
        if (value instanceof Boolean b) return json.getNodeFactory().booleanNode(b);
        if (value instanceof Instant t) return json.getNodeFactory().textNode(t.toString());
        if (value instanceof Enum<?> e) return json.getNodeFactory().textNode(e.name());
        return json.getNodeFactory().textNode(value.toString());
    }
}
