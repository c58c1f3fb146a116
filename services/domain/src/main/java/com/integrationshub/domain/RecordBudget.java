package com.integrationshub.domain;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The largest record a decision may make: each event it appends and each state it makes the stores keep (the
 * stores' changelogs hold that state as one record). Kafka refuses a record over its limit (1 MiB by default); a
 * refused record aborts the exactly-once transaction and, replayed, aborts it again, so a decision whose records
 * would come near that limit is rejected instead. The default leaves a quarter of the limit for the record's key,
 * headers, wire framing and batch overhead.
 */
public final class RecordBudget {

    /** 768 KiB: three quarters of Kafka's default max message size. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 768 * 1024;
    /** How long a field name, message or detail of a rejection may be once the rejection itself is over budget. */
    private static final int MAX_TEXT_OF_CUT_PROBLEM = 200;

    /**
     * A writer per record class: building one looks its class up by the schema's name, a tenth of what sizing a
     * record cost. A writer keeps no state between writes, so the stream threads share them.
     */
    private static final ClassValue<SpecificDatumWriter<SpecificRecord>> WRITERS = new ClassValue<>() {
        @Override
        protected SpecificDatumWriter<SpecificRecord> computeValue(Class<?> type) {
            return new SpecificDatumWriter<>(SpecificData.get().getSchema(type));
        }
    };

    private final int maxRecordBytes;

    /** A budget of that many bytes per record (Avro binary encoding). */
    public RecordBudget(int maxRecordBytes) {
        if (maxRecordBytes <= 0) throw new IllegalArgumentException("max record bytes must be positive");
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The budget in bytes. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * Returns the decision if every event and every state it would store (as `statesAfter` tells for an event) is
     * within the budget, else a 413 rejection naming the record over it.
     */
    public Decision admit(Decision decision, Function<SpecificRecord, List<? extends SpecificRecord>> statesAfter) {
        if (!decision.accepted())
            return Decision.reject(bound(decision.rejection().orElseThrow()));
        for (SpecificRecord event : decision.events()) {
            long size = encodedSize(event);
            if (size > maxRecordBytes) return Decision.reject(tooLarge("its " + name(event) + " event", size));
            for (SpecificRecord state : statesAfter.apply(event)) {
                long stateSize = encodedSize(state);
                if (stateSize > maxRecordBytes) {
                    return Decision.reject(tooLarge("the " + name(state) + " it would store", stateSize));
                }
            }
        }
        return decision;
    }

    /** The problem, or when it is itself over the budget, the same problem with its texts cut short. */
    public Problem bound(Problem problem) {
        if (encodedSize(problem) <= maxRecordBytes) return problem;
        List<FieldError> errors = problem.getErrors().stream()
                .limit(Problems.MAX_LISTED_ERRORS)
                .map(e -> new FieldError(cut(e.getField()), cut(e.getMessage())))
                .toList();
        return Problem.newBuilder(problem)
                .setDetail(cut(problem.getDetail()))
                .setErrors(errors)
                .build();
    }

    /** The size of the record in Avro binary encoding (its wire form adds a 5-byte header, its key and framing). */
    public static long encodedSize(SpecificRecord record) {
        CountingStream counted = new CountingStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counted, null);
        try {
            WRITERS.get(record.getClass()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counted.count;
    }

    private Problem tooLarge(String what, long size) {
        return Problems.tooLarge("the command was not applied: " + what + " would be " + size
                + " bytes, over the limit of " + maxRecordBytes + " bytes");
    }

    private static String name(SpecificRecord record) {
        return record.getSchema().getName();
    }

    private static String cut(String text) {
        if (text == null || text.length() <= MAX_TEXT_OF_CUT_PROBLEM) return text;
        return text.substring(0, MAX_TEXT_OF_CUT_PROBLEM) + "…";
    }

    /** Counts what is written and keeps nothing. */
    private static final class CountingStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
