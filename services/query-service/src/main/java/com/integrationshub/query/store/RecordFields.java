package com.integrationshub.query.store;

import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.MappingUpserted;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Reads the fields every command or event carries, whatever its type. */
public final class RecordFields {

    private RecordFields() {}

    /** A string field of the record, or null when it has none. */
    public static String string(SpecificRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        if (f == null) return null;
        Object value = record.get(f.pos());
        return value == null ? null : value.toString();
    }

    /** Whether an event created its resource: a creation, or an upsert whose resource begins with it. */
    public static Boolean created(SpecificRecord event) {
        if (event instanceof IntegrationCreated) return true;
        if (event instanceof MappingUpserted e) return e.getCreatedAt().equals(e.getOccurredAt());
        return null;
    }

    /** An instant field of the record (a timestamp), or null when it has none. */
    public static Instant instant(SpecificRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        return f == null || !(record.get(f.pos()) instanceof Instant value) ? null : value;
    }

    /** A long field of the record, or null when it has none. */
    public static Long number(SpecificRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        return f == null ? null : (Long) record.get(f.pos());
    }
}
