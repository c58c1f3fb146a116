package com.integrationshub.registry;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A record of any schema, for serializing versions of a schema that has no generated class. */
final class ProbeRecord extends SpecificRecordBase {

    private final Schema schema;
    private final Object[] values;

    ProbeRecord(Schema schema, Object... values) {
        this.schema = schema;
        this.values = values.clone();
    }

    /** Returns a record schema named {@code com.integrationshub.test.Probe} with the given fields JSON. */
    static Schema schema(String fieldsJson) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"com.integrationshub.test\",\"fields\":"
                        + fieldsJson + "}");
    }

    @Override
    public Schema getSchema() {
        return schema;
    }

    @Override
    public Object get(int field) {
        return values[field];
    }

    @Override
    public void put(int field, Object value) {
        values[field] = value;
    }
}
