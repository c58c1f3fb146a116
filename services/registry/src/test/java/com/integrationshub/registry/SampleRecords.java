package com.integrationshub.registry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds a sample of any generated record class by walking its schema, with values that differ from the field
 * defaults: non-null union branches, non-empty arrays and maps, {@code true}, the last enum symbol, distinct numbers.
 */
final class SampleRecords {

    private final SpecificData model;
    private long counter;

    private SampleRecords(SpecificData model) {
        this.model = model;
    }

    /** Returns a sample instance of {@code type} with every field set to a non-default value. */
    static <T extends SpecificRecord> T sample(Class<T> type) {
        final SpecificData model = SpecificData.getForClass(type);
        return type.cast(new SampleRecords(model).value(model.getSchema(type), type.getSimpleName()));
    }

    private Object value(Schema schema, String path) {
        final LogicalType logicalType = schema.getLogicalType();
        final Object raw = raw(schema, path);
        if (logicalType != null) {
            final Conversion<?> conversion = model.getConversionFor(logicalType);
            if (conversion != null) {
                return Conversions.convertToLogicalType(raw, schema, logicalType, conversion);
            }
        }
        return raw;
    }

    private Object raw(Schema schema, String path) {
        counter++;
        switch (schema.getType()) {
            case RECORD: {
                final SpecificRecord record = (SpecificRecord) model.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema(), path + "." + field.name()));
                }
                return record;
            }
            case ENUM:
                return model.createEnum(
                        schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1), schema);
            case ARRAY: {
                final List<Object> list = new ArrayList<>();
                list.add(value(schema.getElementType(), path + "[0]"));
                list.add(value(schema.getElementType(), path + "[1]"));
                return list;
            }
            case MAP: {
                final Map<String, Object> map = new LinkedHashMap<>();
                map.put("key-of-" + path, value(schema.getValueType(), path + "{}"));
                return map;
            }
            case UNION: {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return value(branch, path);
                    }
                }
                return null;
            }
            case STRING:
                return "sample " + path;
            case BYTES:
                return ByteBuffer.wrap(("bytes of " + path).getBytes(StandardCharsets.UTF_8));
            case FIXED: {
                final byte[] bytes = new byte[schema.getFixedSize()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (counter + i);
                }
                return model.createFixed(null, bytes, schema);
            }
            case INT:
                return (int) (1000 + counter);
            case LONG:
                return 1_750_000_000_000L + counter * 1_001;
            case FLOAT:
                return 0.5f + counter;
            case DOUBLE:
                return 0.25 + counter;
            case BOOLEAN:
                return true;
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("no sample for " + schema.getType() + " at " + path);
        }
    }
}
